package org.deoss.core.ledger.journal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serializes submissions from many threads onto one committer thread that applies them through a
 * {@link BatchHandler}, appends their records to a {@link RecordSink} and syncs once per batch; a
 * submission's future completes only after the sync that made it durable.
 *
 * <h2>Design</h2>
 *
 * Batches grow by themselves: while a sync runs, new submissions queue up, and the next batch takes
 * everything queued (up to {@link GroupCommitOptions#maxBatchItems()} items or {@link
 * GroupCommitOptions#maxBatchBytes()} bytes of records). One submitter alone gets one sync per
 * item; many get many items per sync. Items are handled in arrival order (the order in which {@code
 * submit} enqueued them), which is the order of their records in the log.
 *
 * <p>The queue is bounded: when it holds {@link GroupCommitOptions#queueCapacity()} items, {@link
 * #submit} <em>blocks</em> until there is room (backpressure for the callers, not an error). An
 * interrupted wait returns a future failed with the {@link InterruptedException} (flag restored).
 *
 * <h2>Lifecycle</h2>
 *
 * <pre>
 *   NEW --start()--> RUNNING --close()--> STOPPING --queue drained--> STOPPED
 *    |                  |                    |
 *    |                  +----- append, sync or seal fails -----> FAILED
 *    +--close()--> STOPPED
 * </pre>
 *
 * Only RUNNING accepts submissions; in any other state {@code submit} returns a future failed with
 * {@link IllegalStateException} (carrying the cause in FAILED). {@link #close()} stops accepting,
 * lets the thread commit everything already queued, and waits for it. On FAILED the futures of the
 * failing batch complete with the sink's exception, everything still queued with {@link
 * IllegalStateException}, and the handler's {@link BatchHandler#failed} is called; the owner must
 * restart and recover the log.
 *
 * <h2>Threads</h2>
 *
 * One thread from the injected factory runs the loop and alone calls the handler and the sink.
 * Futures complete on that thread: dependent actions attached without an executor run there and
 * delay the next batch, so keep them short or use the {@code *Async} variants. {@link #submit} is
 * safe from any thread.
 *
 * @param <T> the submitted item
 * @param <R> the result of an item once durable
 */
public final class GroupCommitter<T, R> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

  /** Lifecycle states; see the class comment. */
  public enum State {
    NEW,
    RUNNING,
    STOPPING,
    STOPPED,
    FAILED
  }

  private record Pending<T, R>(T item, CompletableFuture<R> future) {}

  private record Accepted<T, R>(Pending<T, R> pending, R result) {}

  private final RecordSink sink;
  private final BatchHandler<T, R> handler;
  private final GroupCommitOptions options;
  private final ThreadFactory threadFactory;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<Pending<T, R>> queue = new ArrayDeque<>();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private State state = State.NEW;
  private Throwable failure;
  private Thread thread;
  private volatile long batches;
  private volatile long committedItems;

  /**
   * Creates a committer in state NEW; {@link #start()} launches its thread.
   *
   * @param sink where records go; the committer does not close it
   * @param handler applies items and encodes their records
   * @param options queue and batch limits
   * @param threadFactory makes the one committer thread
   */
  public GroupCommitter(
      RecordSink sink,
      BatchHandler<T, R> handler,
      GroupCommitOptions options,
      ThreadFactory threadFactory) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.options = Objects.requireNonNull(options, "options");
    this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
  }

  /** NEW → RUNNING: starts the committer thread. */
  public void start() {
    lock.lock();
    try {
      if (state != State.NEW) {
        throw new IllegalStateException("committer already started, state " + state);
      }
      thread = threadFactory.newThread(this::run);
      if (thread == null) {
        throw new IllegalStateException("thread factory returned null");
      }
      state = State.RUNNING;
      thread.start();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues {@code item}; blocks while the queue is full. The future completes with the handler's
   * result once the item's records are durable, exceptionally with the handler's exception if it
   * rejected the item, with the sink's exception if the batch's append or sync failed, or with
   * {@link IllegalStateException} if the committer is not RUNNING.
   */
  public CompletableFuture<R> submit(T item) {
    Objects.requireNonNull(item, "item");
    CompletableFuture<R> future = new CompletableFuture<>();
    lock.lock();
    try {
      while (state == State.RUNNING && queue.size() >= options.queueCapacity()) {
        notFull.await();
      }
      if (state != State.RUNNING) {
        future.completeExceptionally(notRunning());
        return future;
      }
      queue.addLast(new Pending<>(item, future));
      notEmpty.signal();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.completeExceptionally(e);
    } finally {
      lock.unlock();
    }
    return future;
  }

  /**
   * Queues {@code items} in this order, as {@link #submit} each, under one lock: when there is room
   * for them all, the committer finds them together and puts them in one batch (as many as the
   * batch limits allow). Blocks while the queue is full.
   */
  public List<CompletableFuture<R>> submitAll(List<T> items) {
    List<CompletableFuture<R>> futures = new ArrayList<>(items.size());
    for (T item : items) {
      Objects.requireNonNull(item, "item");
      futures.add(new CompletableFuture<>());
    }
    int i = 0;
    lock.lock();
    try {
      for (; i < items.size(); i++) {
        while (state == State.RUNNING && queue.size() >= options.queueCapacity()) {
          notEmpty.signal();
          notFull.await();
        }
        if (state != State.RUNNING) {
          for (int j = i; j < items.size(); j++) {
            futures.get(j).completeExceptionally(notRunning());
          }
          break;
        }
        queue.addLast(new Pending<>(items.get(i), futures.get(i)));
      }
      notEmpty.signal();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      for (int j = i; j < items.size(); j++) { // those queued already go on
        futures.get(j).completeExceptionally(e);
      }
    } finally {
      lock.unlock();
    }
    return futures;
  }

  private IllegalStateException notRunning() {
    return state == State.FAILED
        ? new IllegalStateException("committer failed: " + failure, failure)
        : new IllegalStateException("committer is " + state + ", not accepting submissions");
  }

  /** The current state. */
  public State state() {
    lock.lock();
    try {
      return state;
    } finally {
      lock.unlock();
    }
  }

  /** Number of batches committed (one sync each). */
  public long batches() {
    return batches;
  }

  /** Number of items committed (accepted and durable). */
  public long committedItems() {
    return committedItems;
  }

  /**
   * Stops accepting submissions, commits everything already queued, and waits for the committer
   * thread to end. Idempotent. Called on the committer thread itself (from a future's callback) it
   * only requests the stop.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (state == State.NEW) {
        state = State.STOPPED;
        terminated.countDown();
      } else if (state == State.RUNNING) {
        state = State.STOPPING;
      }
      notEmpty.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
    if (Thread.currentThread() == thread) {
      return;
    }
    try {
      terminated.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      loop();
    } catch (Throwable t) {
      LOG.error("group committer stopped by an unexpected error", t);
      fail(t, List.of());
    } finally {
      terminated.countDown();
    }
  }

  private void loop() throws InterruptedException {
    List<Accepted<T, R>> accepted = new ArrayList<>();
    List<byte[]> records = new ArrayList<>();
    Pending<T, R> next;
    while ((next = takeFirst()) != null) {
      accepted.clear();
      records.clear();
      long bytes = 0;
      int handled = 0;
      while (next != null) {
        handled++;
        try {
          BatchHandler.Outcome<R> outcome = handler.handle(next.item());
          accepted.add(new Accepted<>(next, outcome.result()));
          for (byte[] r : outcome.records()) {
            records.add(r);
            bytes += r.length;
          }
        } catch (Exception e) {
          next.future().completeExceptionally(e);
        } catch (Error e) {
          next.future().completeExceptionally(e);
          fail(e, accepted);
          return;
        }
        if (handled >= options.maxBatchItems() || bytes >= options.maxBatchBytes()) {
          break;
        }
        next = poll();
      }
      if (accepted.isEmpty()) {
        continue;
      }
      long last;
      try {
        records.addAll(handler.seal(accepted.size()));
        last = sink.appendAll(records);
        sink.sync();
      } catch (Throwable t) {
        fail(t, accepted);
        return;
      }
      batches++;
      committedItems += accepted.size();
      try {
        handler.committed(last);
      } catch (RuntimeException e) {
        LOG.warn("batch handler's committed({}) threw", last, e);
      }
      for (Accepted<T, R> a : accepted) {
        a.pending().future().complete(a.result());
      }
    }
    lock.lock();
    try {
      if (state == State.STOPPING) {
        state = State.STOPPED;
      }
    } finally {
      lock.unlock();
    }
  }

  /** The next item, waiting while RUNNING; null once stopping with an empty queue. */
  private Pending<T, R> takeFirst() throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty() && state == State.RUNNING) {
        notEmpty.await();
      }
      return removeFirst();
    } finally {
      lock.unlock();
    }
  }

  private Pending<T, R> poll() {
    lock.lock();
    try {
      return removeFirst();
    } finally {
      lock.unlock();
    }
  }

  private Pending<T, R> removeFirst() {
    Pending<T, R> p = queue.pollFirst();
    if (p != null) {
      notFull.signal();
    }
    return p;
  }

  private void fail(Throwable cause, List<Accepted<T, R>> batch) {
    List<Pending<T, R>> queued;
    lock.lock();
    try {
      state = State.FAILED;
      failure = cause;
      queued = new ArrayList<>(queue);
      queue.clear();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
    LOG.error(
        "group committer failed; {} item(s) of the batch and {} queued are not committed: {}",
        batch.size(),
        queued.size(),
        cause.toString());
    // The handler hears first, so that no caller sees its failure before the owner does.
    try {
      handler.failed(cause);
    } catch (RuntimeException e) {
      LOG.warn("batch handler's failed() threw", e);
    }
    for (Accepted<T, R> a : batch) {
      a.pending().future().completeExceptionally(cause);
    }
    IllegalStateException notCommitted =
        new IllegalStateException("committer failed: " + cause, cause);
    for (Pending<T, R> p : queued) {
      p.future().completeExceptionally(notCommitted);
    }
  }
}
