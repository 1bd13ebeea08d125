package org.deoss.core.account;

import java.util.Arrays;

/** Base58 with the Bitcoin alphabet, as SS58 uses it. */
final class Base58 {
  private static final char[] ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
  private static final int[] INDEXES = new int[128];

  static {
    Arrays.fill(INDEXES, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      INDEXES[ALPHABET[i]] = i;
    }
  }

  private Base58() {}

  static String encode(byte[] input) {
    if (input.length == 0) {
      return "";
    }
    int zeros = 0;
    while (zeros < input.length && input[zeros] == 0) {
      zeros++;
    }
    byte[] number = input.clone();
    char[] encoded = new char[input.length * 2];
    int out = encoded.length;
    int start = zeros;
    while (start < number.length) {
      encoded[--out] = ALPHABET[divmod(number, start, 256, 58)];
      if (number[start] == 0) {
        start++;
      }
    }
    while (out < encoded.length && encoded[out] == ALPHABET[0]) {
      out++;
    }
    while (--zeros >= 0) {
      encoded[--out] = ALPHABET[0];
    }
    return new String(encoded, out, encoded.length - out);
  }

  static byte[] decode(String input) {
    if (input.isEmpty()) {
      return new byte[0];
    }
    byte[] digits = new byte[input.length()];
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      int digit = c < 128 ? INDEXES[c] : -1;
      if (digit < 0) {
        throw new IllegalArgumentException(
            "'" + c + "' at position " + i + " is not a base58 character");
      }
      digits[i] = (byte) digit;
    }
    int zeros = 0;
    while (zeros < digits.length && digits[zeros] == 0) {
      zeros++;
    }
    byte[] decoded = new byte[input.length()];
    int out = decoded.length;
    int start = zeros;
    while (start < digits.length) {
      decoded[--out] = divmod(digits, start, 58, 256);
      if (digits[start] == 0) {
        start++;
      }
    }
    while (out < decoded.length && decoded[out] == 0) {
      out++;
    }
    return Arrays.copyOfRange(decoded, out - zeros, decoded.length);
  }

  /** Divides the big number in {@code number[first..]} (digits in {@code base}) in place. */
  private static byte divmod(byte[] number, int first, int base, int divisor) {
    int remainder = 0;
    for (int i = first; i < number.length; i++) {
      int digit = number[i] & 0xFF;
      int temp = remainder * base + digit;
      number[i] = (byte) (temp / divisor);
      remainder = temp % divisor;
    }
    return (byte) remainder;
  }
}
