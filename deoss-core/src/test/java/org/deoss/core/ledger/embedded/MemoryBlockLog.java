package org.deoss.core.ledger.embedded;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A block log in memory that models a disk: appended records become durable at {@link #sync()};
 * {@link #crash()} keeps only what was synced. Can be told to fail.
 */
final class MemoryBlockLog implements BlockLog {
  private final List<byte[]> records = new ArrayList<>();
  private int synced;
  private long firstSeq;
  private Snapshot snapshot;
  volatile boolean failSync;
  volatile java.util.concurrent.CountDownLatch holdSync;
  int syncs;

  @Override
  public synchronized void replay(long afterSeq, RecordVisitor visitor) throws IOException {
    for (int i = 0; i < synced; i++) {
      long seq = firstSeq + i;
      if (seq > afterSeq) {
        visitor.accept(seq, records.get(i));
      }
    }
  }

  @Override
  public synchronized long append(byte[] record) {
    records.add(record);
    return firstSeq + records.size() - 1;
  }

  @Override
  public void sync() throws IOException {
    java.util.concurrent.CountDownLatch hold = holdSync;
    if (hold != null) {
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    syncNow();
  }

  private synchronized void syncNow() throws IOException {
    if (failSync) {
      throw new IOException("simulated fsync failure");
    }
    synced = records.size();
    syncs++;
  }

  @Override
  public synchronized void saveSnapshot(long sequence, byte[] bytes) {
    snapshot = new Snapshot(sequence, bytes);
  }

  @Override
  public synchronized Optional<Snapshot> latestSnapshot() {
    return Optional.ofNullable(snapshot);
  }

  @Override
  public synchronized void compactThrough(long sequence) {
    while (!records.isEmpty() && firstSeq <= sequence && synced > 0) {
      records.remove(0);
      synced--;
      firstSeq++;
    }
  }

  @Override
  public String recoveryReport() {
    return "memory log";
  }

  /** Forgets every record not synced (a power cut). */
  synchronized void crash() {
    while (records.size() > synced) {
      records.remove(records.size() - 1);
    }
  }

  synchronized int durableRecords() {
    return synced;
  }

  @Override
  public void close() {}
}
