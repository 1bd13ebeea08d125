package org.deoss.core.ledger;

import java.nio.charset.StandardCharsets;

/**
 * The naming rules of buckets and object keys. Each check returns null when the name is valid, or a
 * sentence saying which rule it breaks (the ledger puts that sentence in its rejection).
 */
public final class Names {
  /** Longest key in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 1024;

  private Names() {}

  /**
   * S3-style bucket names: 3–63 characters of lowercase letters, digits, dots and hyphens, starting
   * and ending with a letter or digit, without "..", and not an IPv4 address.
   */
  public static String bucketNameProblem(String name) {
    if (name == null) {
      return "a bucket name is required";
    }
    if (name.length() < 3) {
      return "bucket name '" + name + "' is shorter than 3 characters";
    }
    if (name.length() > 63) {
      return "bucket name '" + abbreviate(name) + "' is longer than 63 characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
      if (!ok) {
        return "bucket name '"
            + name
            + "' has '"
            + c
            + "' at position "
            + i
            + "; only lowercase letters, digits, '.' and '-' are allowed";
      }
    }
    if (!isLetterOrDigit(name.charAt(0))) {
      return "bucket name '" + name + "' must start with a letter or digit";
    }
    if (!isLetterOrDigit(name.charAt(name.length() - 1))) {
      return "bucket name '" + name + "' must end with a letter or digit";
    }
    if (name.contains("..")) {
      return "bucket name '" + name + "' must not contain '..'";
    }
    if (isIpv4(name)) {
      return "bucket name '" + name + "' must not be an IP address";
    }
    return null;
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  /**
   * Object keys: 1–1024 bytes of UTF-8 (no unpaired surrogates), no NUL, no leading "/", no "//",
   * and no "." or ".." path component. A trailing "/" is allowed (a folder marker).
   */
  public static String keyProblem(String key) {
    if (key == null || key.isEmpty()) {
      return "a key must not be empty";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == 0) {
        return "key '" + printable(key) + "' contains NUL at position " + i;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
          return "key '" + printable(key) + "' has an unpaired surrogate at position " + i;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return "key '" + printable(key) + "' has an unpaired surrogate at position " + i;
      }
    }
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEY_BYTES) {
      return "key '" + abbreviate(key) + "' has " + bytes + " bytes, more than " + MAX_KEY_BYTES;
    }
    if (key.charAt(0) == '/') {
      return "key '" + abbreviate(key) + "' must not start with '/'";
    }
    if (key.contains("//")) {
      return "key '" + abbreviate(key) + "' must not contain '//'";
    }
    int start = 0;
    while (start <= key.length()) {
      int slash = key.indexOf('/', start);
      int end = slash < 0 ? key.length() : slash;
      String part = key.substring(start, end);
      if (part.equals(".") || part.equals("..")) {
        return "key '" + abbreviate(key) + "' must not have a '" + part + "' path component";
      }
      if (slash < 0) {
        break;
      }
      start = slash + 1;
    }
    return null;
  }

  private static String printable(String s) {
    return abbreviate(s.replace("\0", "\\0"));
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
