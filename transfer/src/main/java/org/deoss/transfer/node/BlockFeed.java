package org.deoss.transfer.node;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.deoss.core.port.LedgerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes long-polls when the chain grows. The port has no block listener, so the feed reads the head
 * every {@code pollMillis} while someone waits, and at once when {@link #poke()} says a transaction
 * of this node committed. Waiters live in a concurrent queue; checks run on the scheduler, never on
 * an event loop.
 */
final class BlockFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BlockFeed.class);

  private record Waiter(long after, CompletableFuture<Boolean> done) {}

  private final LedgerClient ledger;
  private final ScheduledExecutorService scheduler;
  private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
  private final ScheduledFuture<?> poller;

  BlockFeed(LedgerClient ledger, ScheduledExecutorService scheduler, long pollMillis) {
    this.ledger = ledger;
    this.scheduler = scheduler;
    this.poller =
        scheduler.scheduleWithFixedDelay(
            this::check, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Completes with true as soon as the head is above {@code after}, or with false after {@code
   * waitMillis}.
   */
  CompletableFuture<Boolean> awaitAbove(long after, long waitMillis) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    if (ledger.head().height() > after) {
      f.complete(true);
      return f;
    }
    Waiter w = new Waiter(after, f);
    waiters.add(w);
    ScheduledFuture<?> timer =
        scheduler.schedule(() -> f.complete(false), waitMillis, TimeUnit.MILLISECONDS);
    f.whenComplete((v, e) -> timer.cancel(false));
    f.whenComplete((v, e) -> waiters.remove(w));
    // The head may have moved between the first look and the registration.
    scheduler.execute(this::check);
    return f;
  }

  /** Long-polls waiting now. */
  int waiting() {
    return waiters.size();
  }

  /** A block may have been made: check the waiters now (on the scheduler). */
  void poke() {
    if (!waiters.isEmpty()) {
      scheduler.execute(this::check);
    }
  }

  private void check() {
    if (waiters.isEmpty()) {
      return;
    }
    long height;
    try {
      height = ledger.head().height();
    } catch (RuntimeException e) {
      LOG.debug("reading the head for block waiters failed", e);
      return;
    }
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (height > w.after()) {
        it.remove();
        w.done().complete(true);
      }
    }
  }

  /** Releases every waiter (with false) and stops polling. */
  @Override
  public void close() {
    poller.cancel(false);
    for (Waiter w; (w = waiters.poll()) != null; ) {
      w.done().complete(false);
    }
  }
}
