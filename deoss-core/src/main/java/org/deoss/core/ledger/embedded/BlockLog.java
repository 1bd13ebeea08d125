package org.deoss.core.ledger.embedded;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * What the embedded ledger needs from its storage: an append-only log of checksummed records (one
 * per block) and a store of state snapshots. Records get increasing sequence numbers.
 */
interface BlockLog extends Closeable {

  /** A saved snapshot: the state after the record {@code sequence}. */
  record Snapshot(long sequence, byte[] bytes) {}

  /** Calls {@code visitor} for every intact record after {@code afterSeq}, in order. */
  void replay(long afterSeq, RecordVisitor visitor) throws IOException;

  /** Appends a record (not yet durable); returns its sequence number. */
  long append(byte[] record) throws IOException;

  /** Makes every appended record durable. */
  void sync() throws IOException;

  /** Saves a snapshot of the state after record {@code sequence}, durably. */
  void saveSnapshot(long sequence, byte[] bytes) throws IOException;

  Optional<Snapshot> latestSnapshot() throws IOException;

  /** Allows the log to drop records up to and including {@code sequence}. */
  void compactThrough(long sequence) throws IOException;

  /** A human-readable line about what recovery found (torn tail truncated, records kept). */
  String recoveryReport();

  /** Receives replayed records. */
  @FunctionalInterface
  interface RecordVisitor {
    void accept(long sequence, byte[] record) throws IOException;
  }
}
