package org.deoss.core.codec;

/**
 * An independent, deliberately plain GF(2^8) (polynomial 0x11D) for known-answer tests: its own
 * log/exp tables, multiplication by shift-and-add, Gaussian elimination, byte-at-a-time products.
 * Shares no code with the production classes.
 */
final class NaiveGf {
  private NaiveGf() {}

  /** Carry-less multiply then reduce modulo 0x11D, bit by bit. */
  static int mul(int a, int b) {
    int p = 0;
    for (int i = 0; i < 8; i++) {
      if ((b & (1 << i)) != 0) {
        p ^= a << i;
      }
    }
    for (int bit = 14; bit >= 8; bit--) {
      if ((p & (1 << bit)) != 0) {
        p ^= 0x11D << (bit - 8);
      }
    }
    return p;
  }

  static int pow(int a, int n) {
    int r = 1;
    for (int i = 0; i < n; i++) {
      r = mul(r, a);
    }
    return r;
  }

  static int inverse(int a) {
    if (a == 0) {
      throw new ArithmeticException("0 has no inverse");
    }
    for (int x = 1; x < 256; x++) {
      if (mul(a, x) == 1) {
        return x;
      }
    }
    throw new AssertionError("no inverse of " + a);
  }

  /** Plain Gaussian elimination with row swaps on an augmented copy. */
  static int[][] invert(int[][] m) {
    int n = m.length;
    int[][] a = new int[n][];
    int[][] inv = new int[n][n];
    for (int i = 0; i < n; i++) {
      a[i] = m[i].clone();
      inv[i][i] = 1;
    }
    for (int c = 0; c < n; c++) {
      int p = c;
      while (a[p][c] == 0) {
        p++;
      }
      int[] t = a[p];
      a[p] = a[c];
      a[c] = t;
      t = inv[p];
      inv[p] = inv[c];
      inv[c] = t;
      int s = inverse(a[c][c]);
      for (int k = 0; k < n; k++) {
        a[c][k] = mul(a[c][k], s);
        inv[c][k] = mul(inv[c][k], s);
      }
      for (int r = 0; r < n; r++) {
        if (r != c && a[r][c] != 0) {
          int f = a[r][c];
          for (int k = 0; k < n; k++) {
            a[r][k] ^= mul(f, a[c][k]);
            inv[r][k] ^= mul(f, inv[c][k]);
          }
        }
      }
    }
    return inv;
  }

  /** The (k+m) x k systematic matrix: Vandermonde times the inverse of its top square. */
  static int[][] encodingMatrix(int k, int m) {
    int[][] v = new int[k + m][k];
    for (int r = 0; r < k + m; r++) {
      for (int c = 0; c < k; c++) {
        v[r][c] = pow(r, c);
      }
    }
    int[][] top = new int[k][];
    System.arraycopy(v, 0, top, 0, k);
    int[][] topInv = invert(top);
    int[][] e = new int[k + m][k];
    for (int r = 0; r < k + m; r++) {
      for (int c = 0; c < k; c++) {
        int s = 0;
        for (int i = 0; i < k; i++) {
          s ^= mul(v[r][i], topInv[i][c]);
        }
        e[r][c] = s;
      }
    }
    return e;
  }

  /** Parity shard p (0-based among parity) of the given data shards, byte by byte. */
  static byte[] parity(int[][] matrix, byte[][] data, int p, int offset, int length) {
    int k = data.length;
    byte[] out = new byte[length];
    for (int x = 0; x < length; x++) {
      int s = 0;
      for (int j = 0; j < k; j++) {
        s ^= mul(matrix[k + p][j], data[j][offset + x] & 0xff);
      }
      out[x] = (byte) s;
    }
    return out;
  }
}
