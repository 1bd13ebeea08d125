package org.deoss.transfer.node;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of path segments and query values: everything but RFC 3986 unreserved. */
final class Paths {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Paths() {}

  static String segment(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
      }
    }
    return b.toString();
  }
}
