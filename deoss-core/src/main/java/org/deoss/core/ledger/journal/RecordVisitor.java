package org.deoss.core.ledger.journal;

import java.io.IOException;

/** Receives records in log order during {@link RecordLog#replay}. */
@FunctionalInterface
public interface RecordVisitor {
  /**
   * Called once per record, in increasing sequence order.
   *
   * @param sequence the record's position in the log (1 for the first record ever appended)
   * @param payload the record's bytes; a fresh array the visitor may keep
   * @throws IOException to stop the replay; it propagates out of {@code replay}
   */
  void visit(long sequence, byte[] payload) throws IOException;
}
