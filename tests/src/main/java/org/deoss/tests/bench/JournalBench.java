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
import org.deoss.core.ledger.journal.BatchHandler;
import org.deoss.core.ledger.journal.GroupCommitOptions;
import org.deoss.core.ledger.journal.GroupCommitter;
import org.deoss.core.ledger.journal.JournalOptions;
import org.deoss.core.ledger.journal.RecordLog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Durable commits per second of ~400-byte records (the size of a signed object-put transaction)
 * through the {@link GroupCommitter} over a {@link RecordLog} on the real disk, with 1, 8 and 64
 * submitting threads; each operation returns only once its record is fsynced. Baselines in the same
 * run: one raw {@code FileChannel} write plus {@code force} per record, and {@code
 * System.arraycopy} of the same bytes. The average batch size (records per fsync) is printed at the
 * end of each trial.
 *
 * <p>The files go to a temp directory under {@code -Djournal.bench.dir} (default: the JVM's temp
 * directory); point it at the disk to measure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JournalBench {
  static final int RECORD_BYTES = 400;

  private Path dir;
  private RecordLog log;
  private GroupCommitter<byte[], Boolean> committer;
  private FileChannel raw;
  private ByteBuffer rawRecord;
  private long rawPosition;
  private byte[] record;
  private byte[] copy;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path base =
        Path.of(System.getProperty("journal.bench.dir", System.getProperty("java.io.tmpdir")));
    dir = Files.createTempDirectory(base, "journal-bench");
    record = new byte[RECORD_BYTES];
    new SplittableRandom(1).nextBytes(record);
    copy = new byte[RECORD_BYTES];
    log = RecordLog.open(dir.resolve("log"), JournalOptions.defaults());
    BatchHandler<byte[], Boolean> handler = item -> BatchHandler.Outcome.of(Boolean.TRUE, item);
    committer =
        new GroupCommitter<>(
            log,
            handler,
            GroupCommitOptions.defaults(),
            r -> {
              Thread t = new Thread(r, "journal-committer");
              t.setDaemon(true);
              return t;
            });
    committer.start();
    raw =
        FileChannel.open(
            dir.resolve("raw.bin"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    rawRecord = ByteBuffer.wrap(record);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    long batches = committer.batches();
    long items = committer.committedItems();
    committer.close();
    log.close();
    raw.close();
    if (batches > 0) {
      System.out.printf(
          "%n[JournalBench] %d commits in %d fsyncs: average batch %.1f records%n",
          items, batches, (double) items / batches);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private boolean commit() {
    return committer.submit(record).join();
  }

  @Benchmark
  @Threads(1)
  public boolean groupCommit_1thread() {
    return commit();
  }

  @Benchmark
  @Threads(8)
  public boolean groupCommit_8threads() {
    return commit();
  }

  @Benchmark
  @Threads(64)
  public boolean groupCommit_64threads() {
    return commit();
  }

  /** One 400-byte write and one fsync per record, no batching. */
  @Benchmark
  @Threads(1)
  public long baseline_rawWriteForce() throws IOException {
    rawRecord.clear();
    while (rawRecord.hasRemaining()) {
      rawPosition += raw.write(rawRecord, rawPosition);
    }
    raw.force(false);
    return rawPosition;
  }

  /** Copying the same bytes in memory. */
  @Benchmark
  @Threads(1)
  public byte[] baseline_arraycopy() {
    System.arraycopy(record, 0, copy, 0, RECORD_BYTES);
    return copy;
  }
}
