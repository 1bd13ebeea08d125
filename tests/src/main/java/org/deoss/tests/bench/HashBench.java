package org.deoss.tests.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Hashing one 8 MiB fragment, single thread: its SHA-256 name and its audit Merkle root. Scores are
 * fragments per second; multiply by 8.39 for MB/s. {@link #arraycopy} copies the same 8 MiB.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class HashBench {
  private static final int FRAGMENT = 8 << 20;

  private byte[] fragment;
  private byte[] copy;

  @Setup
  public void setUp() {
    fragment = new byte[FRAGMENT];
    new SplittableRandom(2).nextBytes(fragment);
    copy = new byte[FRAGMENT];
  }

  @Benchmark
  public Hash256 sha256() {
    return Hash256.digest(fragment);
  }

  @Benchmark
  public Hash256 merkleRoot() {
    return FragmentMerkle.root(fragment, 0, FRAGMENT);
  }

  @Benchmark
  public byte[] arraycopy() {
    System.arraycopy(fragment, 0, copy, 0, FRAGMENT);
    return copy;
  }
}
