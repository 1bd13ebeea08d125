package org.deoss.core.codec;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Systematic Reed-Solomon erasure code over GF(2^8): k data shards and m parity shards, any k of
 * the k + m rebuild the rest.
 *
 * <h2>Compatibility</h2>
 *
 * The field uses the polynomial 0x11D with generator 2, and the encoding matrix is the (k+m) x k
 * Vandermonde matrix (row r, column c holds r^c) multiplied by the inverse of its top k x k square,
 * so the top k rows are the identity and the data shards are the segment's bytes unchanged. This is
 * the default construction of Backblaze's JavaReedSolomon and of klauspost/reedsolomon, which CESS
 * uses with k = 4, m = 8: the parity shards are bit-identical to CESS fragments.
 *
 * <h2>Shards</h2>
 *
 * A call works on the byte range {@code [offset, offset + length)} of {@code k + m} caller-owned
 * arrays, data shards first. The coder never allocates a shard and never keeps a reference to one.
 *
 * <h2>Speed</h2>
 *
 * All byte work is one matrix-times-shards product done by a kernel: with the {@code
 * jdk.incubator.vector} module present (run with {@code --add-modules=jdk.incubator.vector}) a
 * vector kernel using byte shuffles on 4-bit halves; otherwise a scalar table kernel. Decoding
 * matrices depend only on which shards are present; the last {@value #PLAN_CACHE_SIZE} are cached.
 *
 * <h2>Threads</h2>
 *
 * Instances are immutable apart from the synchronised plan cache; one instance may encode and
 * decode for many threads at once, provided the threads use different shard arrays.
 */
public final class ReedSolomon {
  /** How {@link #create(int, int, Kernel)} multiplies bytes; all produce identical output. */
  public enum Kernel {
    /** The vector kernel where available, else the scalar one. */
    AUTO,
    /** The Vector API kernel; creation fails if the module or a wide enough vector is missing. */
    VECTOR,
    /** The portable table kernel. */
    SCALAR
  }

  static final int PLAN_CACHE_SIZE = 64;

  private static final int VERIFY_BLOCK = 64 * 1024;

  private final int dataShards;
  private final int parityShards;
  private final GfKernel kernel;
  private final int[][] matrix;
  private final GfKernel.Product parityProduct;
  private final Map<PlanKey, Plan> plans;

  private ReedSolomon(int dataShards, int parityShards, GfKernel kernel) {
    this.dataShards = dataShards;
    this.parityShards = parityShards;
    this.kernel = kernel;
    this.matrix = GfMatrix.systematic(dataShards, dataShards + parityShards);
    this.parityProduct = kernel.prepare(Arrays.copyOfRange(matrix, dataShards, matrix.length));
    this.plans =
        Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
              private static final long serialVersionUID = 1L;

              @Override
              protected boolean removeEldestEntry(Map.Entry<PlanKey, Plan> eldest) {
                return size() > PLAN_CACHE_SIZE;
              }
            });
  }

  /**
   * A coder for {@code dataShards} data and {@code parityShards} parity shards with the fastest
   * kernel available.
   *
   * @throws IllegalArgumentException unless dataShards >= 1, parityShards >= 1 and their sum is at
   *     most 255
   */
  public static ReedSolomon create(int dataShards, int parityShards) {
    return create(dataShards, parityShards, Kernel.AUTO);
  }

  /**
   * A coder with a chosen kernel, for tests and benchmarks that compare kernels.
   *
   * @throws IllegalArgumentException on bad shard counts (see {@link #create(int, int)})
   * @throws UnsupportedOperationException if {@link Kernel#VECTOR} is asked for and not available
   */
  public static ReedSolomon create(int dataShards, int parityShards, Kernel kernel) {
    Objects.requireNonNull(kernel, "kernel");
    checkCounts(dataShards, parityShards);
    return new ReedSolomon(dataShards, parityShards, resolve(kernel));
  }

  /** A coder on a given kernel (tests compare kernels through this). */
  static ReedSolomon create(int dataShards, int parityShards, GfKernel kernel) {
    Objects.requireNonNull(kernel, "kernel");
    checkCounts(dataShards, parityShards);
    return new ReedSolomon(dataShards, parityShards, kernel);
  }

  private static void checkCounts(int dataShards, int parityShards) {
    if (dataShards < 1) {
      throw new IllegalArgumentException("dataShards must be >= 1, got " + dataShards);
    }
    if (parityShards < 1) {
      throw new IllegalArgumentException("parityShards must be >= 1, got " + parityShards);
    }
    if (dataShards + parityShards > 255) {
      throw new IllegalArgumentException(
          "dataShards + parityShards must be <= 255, got "
              + dataShards
              + " + "
              + parityShards
              + " = "
              + (dataShards + parityShards));
    }
  }

  private static GfKernel resolve(Kernel kernel) {
    switch (kernel) {
      case SCALAR:
        return ScalarKernel.INSTANCE;
      case VECTOR:
        return Kernels.vector()
            .orElseThrow(
                () ->
                    new UnsupportedOperationException(
                        "the vector kernel needs the jdk.incubator.vector module"
                            + " (--add-modules=jdk.incubator.vector) and 128-bit vectors"));
      default:
        return Kernels.best();
    }
  }

  /** k, the number of data shards. */
  public int dataShards() {
    return dataShards;
  }

  /** m, the number of parity shards. */
  public int parityShards() {
    return parityShards;
  }

  /** k + m. */
  public int totalShards() {
    return dataShards + parityShards;
  }

  /** The name of the kernel in use, such as {@code vector-512} or {@code scalar}. */
  public String kernelName() {
    return kernel.name();
  }

  /** Row {@code shard} of the (k+m) x k encoding matrix, elements 0..255. */
  int[] matrixRow(int shard) {
    return matrix[shard].clone();
  }

  /**
   * Computes the parity shards {@code shards[k .. k+m)} over {@code [offset, offset+length)} from
   * the same range of the data shards {@code shards[0 .. k)}.
   *
   * @throws IllegalArgumentException if there are not k + m shards or one is null or too short
   */
  public void encode(byte[][] shards, int offset, int length) {
    checkShards(shards, offset, length);
    parityProduct.apply(
        Arrays.copyOfRange(shards, 0, dataShards),
        Arrays.copyOfRange(shards, dataShards, shards.length),
        offset,
        length);
  }

  /**
   * Whether the parity shards over {@code [offset, offset+length)} are those the data shards give.
   * Allocates a bounded scratch area, not the size of a shard.
   *
   * @throws IllegalArgumentException if there are not k + m shards or one is null or too short
   */
  public boolean verify(byte[][] shards, int offset, int length) {
    checkShards(shards, offset, length);
    int block = Math.min(length, VERIFY_BLOCK);
    byte[][] data = new byte[dataShards][block];
    byte[][] parity = new byte[parityShards][block];
    for (int start = offset; start < offset + length; start += block) {
      int n = Math.min(block, offset + length - start);
      for (int j = 0; j < dataShards; j++) {
        System.arraycopy(shards[j], start, data[j], 0, n);
      }
      parityProduct.apply(data, parity, 0, n);
      for (int i = 0; i < parityShards; i++) {
        if (!Arrays.equals(parity[i], 0, n, shards[dataShards + i], start, start + n)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Rebuilds, in place, every shard {@code i} with {@code present[i] == false} over {@code [offset,
   * offset+length)}, from k of the present shards. The arrays of missing shards must be allocated
   * by the caller; their previous contents in the range are overwritten.
   *
   * @throws IllegalArgumentException if fewer than k shards are present, or the arrays do not fit
   */
  public void reconstruct(byte[][] shards, boolean[] present, int offset, int length) {
    rebuild(shards, present, offset, length, false);
  }

  /**
   * Rebuilds, in place, only the missing data shards (the read path: parity is not needed to return
   * the segment). Missing parity shards are left untouched and may be null.
   *
   * @throws IllegalArgumentException if fewer than k shards are present, or the arrays do not fit
   */
  public void reconstructData(byte[][] shards, boolean[] present, int offset, int length) {
    rebuild(shards, present, offset, length, true);
  }

  private void rebuild(
      byte[][] shards, boolean[] present, int offset, int length, boolean dataOnly) {
    Objects.requireNonNull(present, "present");
    if (present.length != totalShards()) {
      throw new IllegalArgumentException(
          "present must have " + totalShards() + " flags, got " + present.length);
    }
    BitSet have = new BitSet(totalShards());
    for (int i = 0; i < present.length; i++) {
      if (present[i]) {
        have.set(i);
      }
    }
    if (have.cardinality() < dataShards) {
      throw new IllegalArgumentException(
          "need " + dataShards + " shards, have " + have.cardinality());
    }
    checkShardArrays(shards, offset, length, have, dataOnly);
    Plan plan = plan(new PlanKey(have, dataOnly));
    if (plan.outputs.length == 0) {
      return;
    }
    byte[][] in = new byte[plan.inputs.length][];
    for (int j = 0; j < in.length; j++) {
      in[j] = shards[plan.inputs[j]];
    }
    byte[][] out = new byte[plan.outputs.length][];
    for (int i = 0; i < out.length; i++) {
      out[i] = shards[plan.outputs[i]];
    }
    plan.product.apply(in, out, offset, length);
  }

  private Plan plan(PlanKey key) {
    Plan plan = plans.get(key);
    if (plan == null) {
      plan = newPlan(key);
      plans.put(key, plan);
    }
    return plan;
  }

  /**
   * Inputs: the first k present shards. Outputs: the missing shards (data only, or all). A missing
   * data shard d is row d of the inverse of the inputs' encoding rows; a missing parity shard p is
   * its encoding row times that inverse, so parity too is made in one pass from the inputs.
   */
  private Plan newPlan(PlanKey key) {
    int total = totalShards();
    int[] inputs = key.present.stream().limit(dataShards).toArray();
    int[] outputs =
        IntStream.range(0, key.dataOnly ? dataShards : total)
            .filter(i -> !key.present.get(i))
            .toArray();
    if (outputs.length == 0) {
      return new Plan(inputs, outputs, null);
    }
    int[][] sub = new int[dataShards][];
    for (int j = 0; j < dataShards; j++) {
      sub[j] = matrix[inputs[j]];
    }
    int[][] decode = GfMatrix.invert(sub);
    int[][] rows = new int[outputs.length][];
    for (int i = 0; i < outputs.length; i++) {
      int shard = outputs[i];
      rows[i] =
          shard < dataShards
              ? decode[shard]
              : GfMatrix.multiply(new int[][] {matrix[shard]}, decode)[0];
    }
    return new Plan(inputs, outputs, kernel.prepare(rows));
  }

  private void checkShards(byte[][] shards, int offset, int length) {
    BitSet all = new BitSet();
    all.set(0, totalShards());
    checkShardArrays(shards, offset, length, all, false);
  }

  private void checkShardArrays(
      byte[][] shards, int offset, int length, BitSet present, boolean dataOnly) {
    Objects.requireNonNull(shards, "shards");
    if (shards.length != totalShards()) {
      throw new IllegalArgumentException(
          "expected " + totalShards() + " shards, got " + shards.length);
    }
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "offset and length must be >= 0, got offset " + offset + ", length " + length);
    }
    for (int i = 0; i < shards.length; i++) {
      boolean needed = present.get(i) || !dataOnly || i < dataShards;
      if (!needed) {
        continue;
      }
      if (shards[i] == null) {
        throw new IllegalArgumentException("shard " + i + " is null");
      }
      if ((long) offset + length > shards[i].length) {
        throw new IllegalArgumentException(
            "shard "
                + i
                + " has "
                + shards[i].length
                + " bytes, range needs "
                + ((long) offset + length));
      }
    }
  }

  @Override
  public String toString() {
    return "ReedSolomon[" + dataShards + "+" + parityShards + ", " + kernel.name() + "]";
  }

  private static final class PlanKey {
    final BitSet present;
    final boolean dataOnly;

    PlanKey(BitSet present, boolean dataOnly) {
      this.present = present;
      this.dataOnly = dataOnly;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PlanKey
          && ((PlanKey) o).dataOnly == dataOnly
          && ((PlanKey) o).present.equals(present);
    }

    @Override
    public int hashCode() {
      return present.hashCode() * 2 + (dataOnly ? 1 : 0);
    }
  }

  private static final class Plan {
    final int[] inputs;
    final int[] outputs;
    final GfKernel.Product product;

    Plan(int[] inputs, int[] outputs, GfKernel.Product product) {
      this.inputs = inputs;
      this.outputs = outputs;
      this.product = product;
    }
  }
}
