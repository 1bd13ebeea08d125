package org.deoss.core.codec;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast kernel, on the JDK's incubating Vector API. Load this class only after checking that the
 * {@code jdk.incubator.vector} module is in the boot layer ({@link Kernels}).
 *
 * <p>Multiplying by a constant c is linear over GF(2), so c * v = c * (v &amp; 0x0F) XOR c * (v
 * &amp; 0xF0): two 16-entry tables per coefficient, LO[x] = c * x and HI[x] = c * (x &lt;&lt; 4),
 * looked up for a whole vector of nibbles at once with a byte shuffle (pshufb / vpermb). Each table
 * is replicated across the vector so that the shuffle is right whether or not the hardware shuffles
 * across 128-bit lanes.
 *
 * <p>Loop order (measured on 4+8 with 512-bit vectors: encode 4.3 GB/s of data per core, with pairs
 * only 3.2, one row at a time 2.3): output rows go in groups of four, then two. For each
 * vector-wide position, a group loads the k input vectors once, splits them into nibbles once, and
 * accumulates its rows in registers, storing each once; inputs at that position stay in L1, so
 * every byte of input and output crosses the memory bus once. A lone last row (the common read
 * path: one lost data shard) is done differently, input by input over blocks that stay in L1 with
 * the two tables of the input held in registers; this is three times faster for one row than the
 * column loop, and slower for groups (where the JIT no longer keeps the vectors in registers).
 *
 * <p>The species is a static final constant, since the JIT only generates vector code for a
 * constant species; {@link VectorWidth} chooses its width once per JVM.
 */
final class VectorKernel implements GfKernel {
  static final VectorSpecies<Byte> SPECIES = chooseSpecies();

  private static final int LANES = SPECIES.length();

  /** Bytes of a lone output row done per pass over the inputs; a multiple of every width. */
  private static final int ROW_BLOCK = 8 * 1024;

  static final VectorKernel INSTANCE = new VectorKernel();

  private VectorKernel() {}

  /** Whether this CPU can run the kernel (shuffles need at least 16 byte lanes). */
  static boolean usable() {
    return LANES >= 16;
  }

  private static VectorSpecies<Byte> chooseSpecies() {
    int bits = VectorWidth.choose(ByteVector.SPECIES_PREFERRED.vectorBitSize());
    return VectorSpecies.of(byte.class, VectorShape.forBitSize(bits));
  }

  @Override
  public String name() {
    return "vector-" + SPECIES.vectorBitSize();
  }

  @Override
  public Product prepare(int[][] coefficients) {
    int rows = coefficients.length;
    int cols = coefficients[0].length;
    byte[] tables = new byte[rows * cols * 2 * LANES];
    byte[][][] scalarRows = new byte[rows][cols][];
    int t = 0;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int c = coefficients[i][j];
        scalarRows[i][j] = Gf256.MUL[c];
        for (int lane = 0; lane < LANES; lane++) {
          tables[t + lane] = (byte) Gf256.mul(c, lane & 0x0F);
          tables[t + LANES + lane] = (byte) Gf256.mul(c, (lane & 0x0F) << 4);
        }
        t += 2 * LANES;
      }
    }
    return (inputs, outputs, offset, length) ->
        apply(tables, scalarRows, inputs, outputs, offset, length);
  }

  private static void apply(
      byte[] tables,
      byte[][][] scalarRows,
      byte[][] inputs,
      byte[][] outputs,
      int offset,
      int length) {
    int end = offset + length;
    int vectorEnd = offset + (length - length % LANES);
    multiplyVectors(tables, inputs, outputs, offset, vectorEnd);
    if (vectorEnd < end) {
      for (int i = 0; i < outputs.length; i++) {
        ScalarKernel.multiplyRange(scalarRows[i], inputs, outputs[i], vectorEnd, end);
      }
    }
  }

  /**
   * Groups of four output rows, then a pair, each loading and splitting every input vector once per
   * position; an odd last row goes to {@link #multiplyOneRow}.
   */
  private static void multiplyVectors(
      byte[] tables, byte[][] inputs, byte[][] outputs, int start, int stop) {
    int rows = outputs.length;
    int cols = inputs.length;
    int rowStride = cols * 2 * LANES;
    for (int x = start; x < stop; x += LANES) {
      int i = 0;
      for (; i + 3 < rows; i += 4) {
        ByteVector acc0 = ByteVector.zero(SPECIES);
        ByteVector acc1 = ByteVector.zero(SPECIES);
        ByteVector acc2 = ByteVector.zero(SPECIES);
        ByteVector acc3 = ByteVector.zero(SPECIES);
        int t = i * rowStride;
        for (int j = 0; j < cols; j++) {
          ByteVector in = ByteVector.fromArray(SPECIES, inputs[j], x);
          ByteVector lo = in.and((byte) 0x0F);
          ByteVector hi = in.lanewise(VectorOperators.LSHR, 4);
          acc0 = acc0.lanewise(VectorOperators.XOR, product(tables, t, lo, hi));
          acc1 = acc1.lanewise(VectorOperators.XOR, product(tables, t + rowStride, lo, hi));
          acc2 = acc2.lanewise(VectorOperators.XOR, product(tables, t + 2 * rowStride, lo, hi));
          acc3 = acc3.lanewise(VectorOperators.XOR, product(tables, t + 3 * rowStride, lo, hi));
          t += 2 * LANES;
        }
        acc0.intoArray(outputs[i], x);
        acc1.intoArray(outputs[i + 1], x);
        acc2.intoArray(outputs[i + 2], x);
        acc3.intoArray(outputs[i + 3], x);
      }
      for (; i + 1 < rows; i += 2) {
        ByteVector acc0 = ByteVector.zero(SPECIES);
        ByteVector acc1 = ByteVector.zero(SPECIES);
        int t = i * rowStride;
        for (int j = 0; j < cols; j++) {
          ByteVector in = ByteVector.fromArray(SPECIES, inputs[j], x);
          ByteVector lo = in.and((byte) 0x0F);
          ByteVector hi = in.lanewise(VectorOperators.LSHR, 4);
          acc0 = acc0.lanewise(VectorOperators.XOR, product(tables, t, lo, hi));
          acc1 = acc1.lanewise(VectorOperators.XOR, product(tables, t + rowStride, lo, hi));
          t += 2 * LANES;
        }
        acc0.intoArray(outputs[i], x);
        acc1.intoArray(outputs[i + 1], x);
      }
    }
    if (rows % 2 == 1) {
      multiplyOneRow(tables, (rows - 1) * rowStride, inputs, outputs[rows - 1], start, stop);
    }
  }

  /**
   * A lone row goes input by input over blocks that stay in L1, with the input's two tables held in
   * registers, so the inner loop is a plain counted loop the JIT can unroll.
   */
  private static void multiplyOneRow(
      byte[] tables, int rowStart, byte[][] inputs, byte[] out, int start, int stop) {
    for (int block = start; block < stop; block += ROW_BLOCK) {
      int end = Math.min(stop, block + ROW_BLOCK);
      int t = rowStart;
      for (int j = 0; j < inputs.length; j++) {
        ByteVector loTable = ByteVector.fromArray(SPECIES, tables, t);
        ByteVector hiTable = ByteVector.fromArray(SPECIES, tables, t + LANES);
        byte[] in = inputs[j];
        if (j == 0) {
          for (int x = block; x < end; x += LANES) {
            ByteVector v = ByteVector.fromArray(SPECIES, in, x);
            product(loTable, hiTable, v).intoArray(out, x);
          }
        } else {
          for (int x = block; x < end; x += LANES) {
            ByteVector v = ByteVector.fromArray(SPECIES, in, x);
            ByteVector o = ByteVector.fromArray(SPECIES, out, x);
            o.lanewise(VectorOperators.XOR, product(loTable, hiTable, v)).intoArray(out, x);
          }
        }
        t += 2 * LANES;
      }
    }
  }

  private static ByteVector product(ByteVector loTable, ByteVector hiTable, ByteVector v) {
    ByteVector lo = v.and((byte) 0x0F);
    ByteVector hi = v.lanewise(VectorOperators.LSHR, 4);
    return lo.selectFrom(loTable).lanewise(VectorOperators.XOR, hi.selectFrom(hiTable));
  }

  /** c * v for the coefficient whose tables start at t, given v's low and high nibbles. */
  private static ByteVector product(byte[] tables, int t, ByteVector lo, ByteVector hi) {
    ByteVector loTable = ByteVector.fromArray(SPECIES, tables, t);
    ByteVector hiTable = ByteVector.fromArray(SPECIES, tables, t + LANES);
    return lo.selectFrom(loTable).lanewise(VectorOperators.XOR, hi.selectFrom(hiTable));
  }
}
