package org.deoss.core.ledger.embedded;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.deoss.core.ledger.journal.RecordSink;

/** Wraps the journal sink to count syncs, hold one until released, or fail them. */
final class FaultySink implements RecordSink {
  private final RecordSink inner;
  final AtomicInteger syncs = new AtomicInteger();
  volatile boolean failSync;
  volatile CountDownLatch hold;

  FaultySink(RecordSink inner) {
    this.inner = inner;
  }

  @Override
  public long appendAll(List<byte[]> payloads) throws IOException {
    return inner.appendAll(payloads);
  }

  @Override
  public void sync() throws IOException {
    CountDownLatch h = hold;
    if (h != null) {
      try {
        h.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    if (failSync) {
      throw new IOException("simulated fsync failure");
    }
    inner.sync();
    syncs.incrementAndGet();
  }
}
