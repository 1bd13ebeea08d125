package org.deoss.core.codec;

/**
 * The portable kernel: one 256-byte row of the multiplication table per coefficient, applied a byte
 * at a time, in blocks small enough that the output block stays in the L1 cache while the inputs
 * are added into it.
 */
final class ScalarKernel implements GfKernel {
  static final ScalarKernel INSTANCE = new ScalarKernel();

  private static final int BLOCK = 16 * 1024;

  private ScalarKernel() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public Product prepare(int[][] coefficients) {
    byte[][][] rows = new byte[coefficients.length][][];
    for (int i = 0; i < coefficients.length; i++) {
      rows[i] = new byte[coefficients[i].length][];
      for (int j = 0; j < coefficients[i].length; j++) {
        rows[i][j] = Gf256.MUL[coefficients[i][j]];
      }
    }
    return (inputs, outputs, offset, length) -> apply(rows, inputs, outputs, offset, length);
  }

  private static void apply(
      byte[][][] rows, byte[][] inputs, byte[][] outputs, int offset, int length) {
    int end = offset + length;
    for (int start = offset; start < end; start += BLOCK) {
      int stop = Math.min(end, start + BLOCK);
      for (int i = 0; i < rows.length; i++) {
        multiplyRange(rows[i], inputs, outputs[i], start, stop);
      }
    }
  }

  /** out[start, stop) = XOR over j of row[j] * inputs[j], two inputs per pass. */
  static void multiplyRange(byte[][] row, byte[][] inputs, byte[] out, int start, int stop) {
    int n = row.length;
    int j;
    if (n >= 2) {
      byte[] t0 = row[0];
      byte[] t1 = row[1];
      byte[] a = inputs[0];
      byte[] b = inputs[1];
      for (int x = start; x < stop; x++) {
        out[x] = (byte) (t0[a[x] & 0xff] ^ t1[b[x] & 0xff]);
      }
      j = 2;
    } else {
      byte[] t0 = row[0];
      byte[] a = inputs[0];
      for (int x = start; x < stop; x++) {
        out[x] = t0[a[x] & 0xff];
      }
      j = 1;
    }
    for (; j + 1 < n; j += 2) {
      byte[] t0 = row[j];
      byte[] t1 = row[j + 1];
      byte[] a = inputs[j];
      byte[] b = inputs[j + 1];
      for (int x = start; x < stop; x++) {
        out[x] ^= (byte) (t0[a[x] & 0xff] ^ t1[b[x] & 0xff]);
      }
    }
    if (j < n) {
      byte[] t0 = row[j];
      byte[] a = inputs[j];
      for (int x = start; x < stop; x++) {
        out[x] ^= t0[a[x] & 0xff];
      }
    }
  }
}
