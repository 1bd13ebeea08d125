package org.deoss.core.codec;

/**
 * Multiplies a coefficient matrix over GF(2^8) by byte ranges: for every output row i and byte
 * position x, {@code out[i][x] = XOR over j of c[i][j] * in[j][x]}. This is the whole per-byte cost
 * of encoding and decoding; everything else works on matrices of a few dozen elements.
 *
 * <p>Implementations are stateless and thread-safe; a {@link Product} is immutable and may be
 * applied concurrently to different buffers.
 */
interface GfKernel {
  /** A short name for logs and benchmark reports. */
  String name();

  /** Prepares the per-coefficient tables of a (outputs x inputs) matrix of elements 0..255. */
  Product prepare(int[][] coefficients);

  /** A coefficient matrix prepared for one kernel. */
  interface Product {
    /**
     * Writes {@code outputs[i][offset, offset+length)} for every row i from the same range of the
     * inputs. Outputs must not alias inputs.
     */
    void apply(byte[][] inputs, byte[][] outputs, int offset, int length);
  }
}
