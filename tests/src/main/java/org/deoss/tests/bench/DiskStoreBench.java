package org.deoss.tests.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.transfer.miner.store.DiskFragmentStore;
import org.deoss.transfer.miner.store.DiskStoreConfig;
import org.deoss.transfer.miner.store.PutSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Durable puts of 8 MiB fragments into a {@link DiskFragmentStore} (root check, temp file, fsync,
 * rename, directory fsync), one-shot and streamed in 64 KiB chunks as the miner server feeds it.
 * Each operation puts the fragment and deletes it again, so every put really writes. Baselines in
 * the same run: a raw {@code FileChannel} write of the same 8 MiB to a new file plus {@code force}
 * (and delete), the Merkle root alone, and {@code System.arraycopy}. Throughput is in operations
 * per second; multiply by 8.39 for MB/s.
 *
 * <p>Files go to a temp directory under {@code -Ddiskstore.bench.dir} (default: the JVM's temp
 * directory); point it at the disk to measure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DiskStoreBench {
  static final int FRAGMENT = 8 << 20;
  static final int CHUNK = 64 << 10;

  private Path dir;
  private DiskFragmentStore store;
  private byte[] data;
  private byte[] copy;
  private Hash256 id;
  private ByteBuffer direct;
  private long rawSeq;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path base =
        Path.of(System.getProperty("diskstore.bench.dir", System.getProperty("java.io.tmpdir")));
    dir = Files.createTempDirectory(base, "diskstore-bench");
    store = DiskFragmentStore.open(DiskStoreConfig.of(dir.resolve("store"), 1L << 30));
    data = new byte[FRAGMENT];
    new SplittableRandom(8).nextBytes(data);
    copy = new byte[FRAGMENT];
    id = FragmentMerkle.root(data, 0, data.length);
    direct = ByteBuffer.allocateDirect(FRAGMENT);
    direct.put(data).flip();
    Files.createDirectories(dir.resolve("raw"));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** {@code FragmentStore.put} of one 8 MiB heap buffer, then delete. */
  @Benchmark
  public boolean storePut_oneShot() {
    store.put(id, ByteBuffer.wrap(data)).join();
    return store.deleteFragment(id);
  }

  /** A {@link PutSession} fed 64 KiB heap chunks, then delete. */
  @Benchmark
  public boolean storePut_streamed64k() {
    try (PutSession s = store.begin(id, FRAGMENT)) {
      for (int at = 0; at < FRAGMENT; at += CHUNK) {
        s.write(ByteBuffer.wrap(data, at, CHUNK));
      }
      s.commit();
    }
    return store.deleteFragment(id);
  }

  /** Write the same 8 MiB (direct buffer) to a new file, force, close, delete. */
  @Benchmark
  public long baseline_rawWriteForce() throws IOException {
    Path p = dir.resolve("raw").resolve("f" + rawSeq++);
    long n = 0;
    try (FileChannel ch =
        FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = direct.duplicate();
      while (b.hasRemaining()) {
        n += ch.write(b);
      }
      ch.force(true);
    }
    Files.delete(p);
    return n;
  }

  /** The Merkle root of the same 8 MiB, no I/O. */
  @Benchmark
  public Hash256 baseline_merkleRoot() {
    return FragmentMerkle.root(data, 0, FRAGMENT);
  }

  /** Copying the same bytes in memory. */
  @Benchmark
  public byte[] baseline_arraycopy() {
    System.arraycopy(data, 0, copy, 0, FRAGMENT);
    return copy;
  }
}
