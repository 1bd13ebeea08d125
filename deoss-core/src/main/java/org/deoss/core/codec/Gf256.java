package org.deoss.core.codec;

/**
 * Arithmetic in GF(2^8) with the reducing polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D) and
 * generator 2, the field of the Backblaze and klauspost Reed-Solomon coders. Elements are ints
 * 0..255 in the API; tables are shared and never written after class initialisation.
 */
final class Gf256 {
  static final int POLYNOMIAL = 0x11D;

  /** EXP[i] = 2^i, doubled in length so that EXP[LOG[a] + LOG[b]] needs no modulo. */
  private static final int[] EXP = new int[510];

  /** LOG[a] for a != 0; LOG[0] is unused. */
  private static final int[] LOG = new int[256];

  /** MUL[a][b] = a * b, the 64 KiB table of the scalar kernel. */
  static final byte[][] MUL = new byte[256][256];

  static {
    int x = 1;
    for (int i = 0; i < 255; i++) {
      EXP[i] = x;
      EXP[i + 255] = x;
      LOG[x] = i;
      x <<= 1;
      if (x >= 256) {
        x ^= POLYNOMIAL;
      }
    }
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        MUL[a][b] = (byte) mul(a, b);
      }
    }
  }

  private Gf256() {}

  static int mul(int a, int b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return EXP[LOG[a] + LOG[b]];
  }

  static int div(int a, int b) {
    if (b == 0) {
      throw new ArithmeticException("division by zero in GF(2^8)");
    }
    if (a == 0) {
      return 0;
    }
    return EXP[LOG[a] - LOG[b] + 255];
  }

  static int inverse(int a) {
    return div(1, a);
  }

  /** a^n for n >= 0, with 0^0 = 1 as in the Vandermonde construction. */
  static int pow(int a, int n) {
    if (n == 0) {
      return 1;
    }
    if (a == 0) {
      return 0;
    }
    return EXP[(LOG[a] * n) % 255];
  }
}
