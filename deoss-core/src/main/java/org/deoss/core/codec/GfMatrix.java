package org.deoss.core.codec;

/**
 * Small dense matrices over GF(2^8), stored as {@code int[rows][cols]} of elements 0..255. Used
 * only while building coding and decoding matrices, never per byte of data.
 */
final class GfMatrix {
  private GfMatrix() {}

  /** The rows x cols Vandermonde matrix: element (r, c) = r^c. */
  static int[][] vandermonde(int rows, int cols) {
    int[][] v = new int[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        v[r][c] = Gf256.pow(r, c);
      }
    }
    return v;
  }

  /**
   * The systematic encoding matrix of k data and m parity shards: Vandermonde((k+m) x k) times the
   * inverse of its top k x k square, so the top k rows are the identity.
   */
  static int[][] systematic(int dataShards, int totalShards) {
    int[][] v = vandermonde(totalShards, dataShards);
    int[][] top = new int[dataShards][];
    for (int r = 0; r < dataShards; r++) {
      top[r] = v[r].clone();
    }
    return multiply(v, invert(top));
  }

  static int[][] multiply(int[][] a, int[][] b) {
    int n = a.length;
    int inner = b.length;
    int cols = b[0].length;
    int[][] p = new int[n][cols];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < cols; c++) {
        int s = 0;
        for (int i = 0; i < inner; i++) {
          s ^= Gf256.mul(a[r][i], b[i][c]);
        }
        p[r][c] = s;
      }
    }
    return p;
  }

  /**
   * The inverse of a square matrix by Gauss-Jordan elimination.
   *
   * @throws IllegalArgumentException if the matrix is singular
   */
  static int[][] invert(int[][] m) {
    int n = m.length;
    int[][] a = new int[n][2 * n];
    for (int r = 0; r < n; r++) {
      System.arraycopy(m[r], 0, a[r], 0, n);
      a[r][n + r] = 1;
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      while (pivot < n && a[pivot][col] == 0) {
        pivot++;
      }
      if (pivot == n) {
        throw new IllegalArgumentException("matrix is singular (column " + col + ")");
      }
      int[] t = a[pivot];
      a[pivot] = a[col];
      a[col] = t;
      int scale = Gf256.inverse(a[col][col]);
      for (int c = 0; c < 2 * n; c++) {
        a[col][c] = Gf256.mul(a[col][c], scale);
      }
      for (int r = 0; r < n; r++) {
        int f = a[r][col];
        if (r != col && f != 0) {
          for (int c = 0; c < 2 * n; c++) {
            a[r][c] ^= Gf256.mul(f, a[col][c]);
          }
        }
      }
    }
    int[][] inv = new int[n][n];
    for (int r = 0; r < n; r++) {
      System.arraycopy(a[r], n, inv[r], 0, n);
    }
    return inv;
  }
}
