package org.deoss.core.ledger.journal;

/**
 * Settings of a {@link GroupCommitter}; immutable, validated on construction.
 *
 * @param queueCapacity submissions waiting for the committer; when full, {@link
 *     GroupCommitter#submit} blocks (backpressure)
 * @param maxBatchItems most items handled per batch (one sync)
 * @param maxBatchBytes a batch is closed once its records reach this many bytes (the item that
 *     crosses the limit is still in the batch)
 */
public record GroupCommitOptions(int queueCapacity, int maxBatchItems, long maxBatchBytes) {
  /** Validates the settings. */
  public GroupCommitOptions {
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be >= 1, got " + queueCapacity);
    }
    if (maxBatchItems < 1) {
      throw new IllegalArgumentException("maxBatchItems must be >= 1, got " + maxBatchItems);
    }
    if (maxBatchBytes < 1) {
      throw new IllegalArgumentException("maxBatchBytes must be >= 1, got " + maxBatchBytes);
    }
  }

  /** Queue of 8192, batches of at most 1024 items or 4 MiB. */
  public static GroupCommitOptions defaults() {
    return new GroupCommitOptions(8192, 1024, 4L << 20);
  }
}
