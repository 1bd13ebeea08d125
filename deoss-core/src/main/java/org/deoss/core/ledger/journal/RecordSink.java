package org.deoss.core.ledger.journal;

import java.io.IOException;
import java.util.List;

/**
 * Where a {@link GroupCommitter} writes: an append-only log whose appends become durable at {@link
 * #sync}. {@link RecordLog} is the implementation; tests wrap it to count or fail syncs.
 *
 * <p>Called from one thread at a time (the committer's thread).
 */
public interface RecordSink {
  /**
   * Buffers the records in order (not yet durable) and returns the sequence of the last one (or the
   * current last sequence when {@code payloads} is empty). Either every record is accepted or, when
   * one is invalid (too large), none is and {@link IllegalArgumentException} is thrown.
   */
  long appendAll(List<byte[]> payloads) throws IOException;

  /** Makes everything appended so far durable; returns only once it is on stable storage. */
  void sync() throws IOException;
}
