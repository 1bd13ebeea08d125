package org.deoss.tests.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.transfer.miner.store.DiskFragmentStore;
import org.deoss.transfer.miner.store.DiskStoreConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Durable puts of 16 KiB fragments (a 64 KiB object's fragments under RS 4+8) into a {@link
 * DiskFragmentStore} from 16 threads at once, as a miner's store threads see them: one file per
 * fragment ({@code packedMaxLength = 0}: file, fsync, rename, directory fsync) against the pack log
 * (one shared {@code fdatasync} per batch). Each operation puts a new fragment and deletes the one
 * it put 64 operations earlier, so the store stays small and every put really writes. At the end of
 * each trial the process CPU per put is printed (microseconds; the store's threads plus the
 * kernel's work done in their system calls).
 *
 * <pre>
 * ./bench SmallFragmentBench -f 1 -wi 2 -i 3 -w 2s -r 3s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(16)
public class SmallFragmentBench {
  static final int FRAGMENT = 16 << 10;
  static final int POOL = 4096;

  @Param({"0", "1048576"})
  public long packedMaxLength;

  private Path dir;
  private DiskFragmentStore store;
  private byte[][] fragments;
  private Hash256[] ids;
  private final AtomicLong next = new AtomicLong();
  private long cpuStart;
  private long opsStart;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path base =
        Path.of(System.getProperty("diskstore.bench.dir", System.getProperty("java.io.tmpdir")));
    dir = Files.createTempDirectory(base, "small-fragment-bench");
    store =
        DiskFragmentStore.open(
            DiskStoreConfig.of(dir.resolve("store"), 1L << 30)
                .withPackedMaxLength(packedMaxLength));
    SplittableRandom random = new SplittableRandom(16);
    fragments = new byte[POOL][FRAGMENT];
    ids = new Hash256[POOL];
    for (int i = 0; i < POOL; i++) {
      random.nextBytes(fragments[i]);
      ids[i] = FragmentMerkle.root(fragments[i], 0, FRAGMENT);
    }
  }

  @Setup(Level.Iteration)
  public void startCpu() {
    cpuStart = processCpuNanos();
    opsStart = next.get();
  }

  @TearDown(Level.Iteration)
  public void reportCpu() {
    long ops = next.get() - opsStart;
    System.out.printf(
        " [cpu %.0f us/put] ", (processCpuNanos() - cpuStart) / 1e3 / Math.max(1, ops));
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
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

  /** Put one new 16 KiB fragment (durable when it returns) and delete an older one. */
  @Benchmark
  public boolean put16k() {
    long n = next.getAndIncrement();
    int i = (int) (n % POOL);
    store.put(ids[i], ByteBuffer.wrap(fragments[i])).join();
    return store.deleteFragment(ids[(int) ((n + POOL - 64) % POOL)]);
  }
}
