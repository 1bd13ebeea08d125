package org.deoss.core.ledger.journal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * An in-memory {@link RecordSink} for committer tests: records what was appended and synced, can
 * hold the first sync until released, and can fail a sync.
 */
final class GatedSink implements RecordSink {
  final CountDownLatch firstSyncEntered = new CountDownLatch(1);
  private final CountDownLatch release;
  private final List<byte[]> records = new ArrayList<>();
  private final List<Integer> appendSizes = new ArrayList<>();
  private int syncs;
  private int durable;
  private volatile IOException failSyncWith;

  /** A sink whose syncs never wait. */
  GatedSink() {
    this(new CountDownLatch(0));
  }

  /** A sink whose first sync waits for {@code release}. */
  GatedSink(CountDownLatch release) {
    this.release = release;
  }

  void failSyncsWith(IOException e) {
    failSyncWith = e;
  }

  @Override
  public synchronized long appendAll(List<byte[]> payloads) {
    records.addAll(payloads);
    appendSizes.add(payloads.size());
    return records.size();
  }

  @Override
  public void sync() throws IOException {
    boolean first;
    synchronized (this) {
      first = syncs == 0;
    }
    if (first) {
      firstSyncEntered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    IOException fail = failSyncWith;
    if (fail != null) {
      throw fail;
    }
    synchronized (this) {
      syncs++;
      durable = records.size();
    }
  }

  synchronized int syncs() {
    return syncs;
  }

  synchronized List<Integer> appendSizes() {
    return List.copyOf(appendSizes);
  }

  /** Texts of the records made durable by a sync. */
  synchronized List<String> durableTexts() {
    List<String> out = new ArrayList<>();
    for (byte[] r : records.subList(0, durable)) {
      out.add(Records.text(r));
    }
    return out;
  }
}
