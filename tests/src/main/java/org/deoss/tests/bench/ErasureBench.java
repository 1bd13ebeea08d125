package org.deoss.tests.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.deoss.core.codec.ReedSolomon;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reed-Solomon 4+8 on one 32 MiB segment (four 8 MiB data shards), single thread. Scores are
 * segments per second; multiply by 33.55 for MB/s of user (data) bytes. {@link #arraycopy} copies
 * the same 32 MiB as a memory-bandwidth baseline.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class ErasureBench {
  private static final int SHARD = 8 << 20;
  private static final int SEGMENT = 4 * SHARD;

  @Param({"VECTOR", "SCALAR"})
  public String kernel;

  private ReedSolomon rs;
  private byte[][] shards;
  private boolean[] parityOnly;
  private boolean[] firstDataLost;
  private byte[] segment;
  private byte[] copy;

  @Setup
  public void setUp() {
    rs = ReedSolomon.create(4, 8, ReedSolomon.Kernel.valueOf(kernel));
    shards = new byte[12][SHARD];
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 4; i++) {
      random.nextBytes(shards[i]);
    }
    rs.encode(shards, 0, SHARD);
    parityOnly = new boolean[12];
    for (int i = 4; i < 8; i++) {
      parityOnly[i] = true;
    }
    firstDataLost = new boolean[12];
    java.util.Arrays.fill(firstDataLost, true);
    firstDataLost[0] = false;
    segment = new byte[SEGMENT];
    random.nextBytes(segment);
    copy = new byte[SEGMENT];
  }

  /** Computes the 8 parity shards of a segment. */
  @Benchmark
  public byte[][] encode() {
    rs.encode(shards, 0, SHARD);
    return shards;
  }

  /** Worst case: all 4 data shards lost, rebuilt from 4 parity shards. */
  @Benchmark
  public byte[][] decodeAllDataLost() {
    rs.reconstructData(shards, parityOnly, 0, SHARD);
    return shards;
  }

  /** One data shard lost, rebuilt from the other 3 and the first parity shard. */
  @Benchmark
  public byte[][] decodeOneDataLost() {
    rs.reconstructData(shards, firstDataLost, 0, SHARD);
    return shards;
  }

  /** Baseline: copy 32 MiB. */
  @Benchmark
  public byte[] arraycopy() {
    System.arraycopy(segment, 0, copy, 0, SEGMENT);
    return copy;
  }
}
