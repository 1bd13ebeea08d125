package org.deoss.core.ledger.journal;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link GroupCommitter} does with each item: applies it (to the ledger state, say) and
 * encodes the records that make it durable. Called only on the committer's thread, so the
 * implementation needs no locking for state it alone touches.
 *
 * <p>Per batch the committer calls {@link #handle} for every item in arrival order, then, if at
 * least one item was accepted, {@link #seal} once, appends all records of the accepted items
 * followed by the sealing records, syncs, and calls {@link #committed}. If the append or the sync
 * fails it calls {@link #failed} instead and stops for good: items already applied are not durable,
 * so the state in memory is ahead of the disk and the process must restart and recover.
 *
 * @param <T> the submitted item
 * @param <R> the result given to the submitter once the item is durable
 */
public interface BatchHandler<T, R> {
  /**
   * Applies one item. Throwing rejects this item alone: its future completes exceptionally with the
   * thrown exception and nothing is appended for it; the handler must then leave no trace of it.
   * Each record must fit the log's maximum record size, or the whole batch fails.
   */
  Outcome<R> handle(T item) throws Exception;

  /**
   * Called once per batch after the last {@code handle}, when at least one item was accepted;
   * returns records appended after those of the items (a block header, say). Throwing fails the
   * committer like a failed sync.
   */
  default List<byte[]> seal(int acceptedItems) throws Exception {
    return List.of();
  }

  /** Called after a batch is durable, before the futures complete; its last record's sequence. */
  default void committed(long lastSequence) {}

  /**
   * Called once when the committer fails (append, sync or {@link #seal} threw), before any future
   * of the failed batch completes.
   */
  default void failed(Throwable cause) {}

  /**
   * An accepted item: the submitter's result and the records to append for it.
   *
   * @param result completes the submitter's future once the batch is durable (may be null)
   * @param records appended in order
   */
  record Outcome<R>(R result, List<byte[]> records) {
    /** Copies the list. */
    public Outcome {
      records = List.copyOf(Objects.requireNonNull(records, "records"));
    }

    /** An outcome with the given records. */
    public static <R> Outcome<R> of(R result, byte[]... records) {
      return new Outcome<>(result, List.of(records));
    }
  }
}
