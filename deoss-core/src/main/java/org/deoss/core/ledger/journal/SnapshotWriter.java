package org.deoss.core.ledger.journal;

import java.io.IOException;
import java.io.OutputStream;

/** Streams a state into a snapshot (see {@link SnapshotStore#save(long, SnapshotWriter)}). */
@FunctionalInterface
public interface SnapshotWriter {
  /**
   * Writes the whole state to {@code out}. Do not close {@code out} (closing it is harmless but
   * ignored); throwing abandons the snapshot and leaves the previous ones untouched.
   */
  void writeTo(OutputStream out) throws IOException;
}
