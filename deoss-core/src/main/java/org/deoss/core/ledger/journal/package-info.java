/**
 * The ledger's durable storage layer, free of ledger concepts: an append-only log of checksummed
 * byte records in segment files ({@link org.deoss.core.ledger.journal.RecordLog}), a group
 * committer that turns many concurrent submissions into one fsync per batch ({@link
 * org.deoss.core.ledger.journal.GroupCommitter}), and atomically written, verified snapshots
 * ({@link org.deoss.core.ledger.journal.SnapshotStore}) that bound replay time.
 *
 * <p>Typical use at start-up: take {@code SnapshotStore.latest()}, load the state, {@code
 * RecordLog.open(..)}, {@code replay(snapshot.sequence() + 1, ..)}, then start a {@code
 * GroupCommitter} over the log; after each new snapshot at sequence s, {@code deleteBefore(s + 1)}.
 */
package org.deoss.core.ledger.journal;
