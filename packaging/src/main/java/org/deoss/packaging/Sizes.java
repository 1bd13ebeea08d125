package org.deoss.packaging;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes such as {@code 512MiB}, {@code 10G}, {@code 1TB} or {@code 4096} (bytes). */
final class Sizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?)(I?B?)");

  private Sizes() {}

  static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new UserException(
          "'"
              + text
              + "' is not a size; write a number with an optional unit: 4096, 512MiB, 10GiB");
    }
    long n = Long.parseLong(m.group(1));
    int shift =
        switch (m.group(2)) {
          case "K" -> 10;
          case "M" -> 20;
          case "G" -> 30;
          case "T" -> 40;
          default -> 0;
        };
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new UserException("size '" + text + "' is too large");
    }
    return n << shift;
  }

  /** A byte count for people: {@code 0 B}, {@code 512 B}, {@code 1.5 KiB}, {@code 10.0 GiB}. */
  static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
