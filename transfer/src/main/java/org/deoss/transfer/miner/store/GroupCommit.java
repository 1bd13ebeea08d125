package org.deoss.transfer.miner.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs items in batches: the threads that call {@link #run} at about the same time share one run of
 * the batch action, as a journal shares one fsync among the records appended while the previous
 * fsync ran.
 *
 * <h2>Design</h2>
 *
 * Leader and followers, no thread of its own. A caller queues its item; if no batch is running it
 * becomes the leader: it takes up to {@code maxBatch} queued items (its own among them, oldest
 * first), runs the action on them outside the lock, marks them done and wakes the waiters. Callers
 * that arrive while a batch runs wait; when it ends, one of those still queued leads the next batch
 * with every item queued meanwhile. So a batch is one item when calls do not overlap, and grows
 * with the load: the cost of the action (for the store, forcing directories) is paid once per batch
 * rather than once per item.
 *
 * <p>{@link #run} returns only when its own item's batch has finished, and throws what the action
 * recorded for that item ({@link Entry#fail}). If the action itself throws, every item of the batch
 * without a recorded failure fails with that exception (even one the action had finished: a caller
 * is never told of a success the action did not return from). A waiting caller is not interrupted
 * out of its wait (its item's fate is in the leader's hands); its interrupt flag is set again on
 * return.
 *
 * <p>Thread-safe; the queue and the leader flag are guarded by this object's monitor.
 *
 * @param <T> what is committed
 */
final class GroupCommit<T> {
  /** One queued item and, once its batch ran, its outcome. */
  static final class Entry<T> {
    private final T item;
    private RuntimeException failure;
    private boolean done;

    Entry(T item) {
      this.item = item;
    }

    T item() {
      return item;
    }

    /** Records that this item failed; the action calls it, and {@link #run} throws it. */
    void fail(RuntimeException failure) {
      if (this.failure == null) {
        this.failure = failure;
      }
    }

    boolean failed() {
      return failure != null;
    }
  }

  private final int maxBatch;
  private final Consumer<List<Entry<T>>> action;
  private final ArrayDeque<Entry<T>> queue = new ArrayDeque<>();
  private boolean leading;

  /**
   * @param maxBatch most items one run of the action takes (at least 1)
   * @param action runs a batch; it records a failure on each item that failed and returns
   */
  GroupCommit(int maxBatch, Consumer<List<Entry<T>>> action) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
    }
    this.maxBatch = maxBatch;
    this.action = Objects.requireNonNull(action, "action");
  }

  /**
   * Queues {@code item} and returns once a batch holding it has run.
   *
   * @throws RuntimeException what the action recorded for this item, or what it threw
   */
  void run(T item) {
    Entry<T> own = new Entry<>(item);
    boolean interrupted = false;
    try {
      synchronized (this) {
        queue.add(own);
      }
      while (true) {
        List<Entry<T>> batch;
        synchronized (this) {
          while (!own.done && leading) {
            try {
              wait();
            } catch (InterruptedException e) {
              interrupted = true;
            }
          }
          if (own.done) {
            break;
          }
          leading = true;
          batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
          while (batch.size() < maxBatch && !queue.isEmpty()) {
            batch.add(queue.poll());
          }
        }
        lead(batch);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (own.failure != null) {
      throw own.failure;
    }
  }

  private void lead(List<Entry<T>> batch) {
    try {
      action.accept(batch);
    } catch (RuntimeException | Error e) {
      RuntimeException failure =
          e instanceof RuntimeException r ? r : new IllegalStateException("batch failed: " + e, e);
      for (Entry<T> entry : batch) {
        entry.fail(failure);
      }
      if (e instanceof Error error) {
        throw error;
      }
    } finally {
      synchronized (this) {
        for (Entry<T> entry : batch) {
          entry.done = true;
        }
        leading = false;
        notifyAll();
      }
    }
  }

  /** Items queued and not yet taken by a batch (for tests). */
  synchronized int queued() {
    return queue.size();
  }
}
