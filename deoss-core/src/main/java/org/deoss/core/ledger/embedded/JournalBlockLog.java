package org.deoss.core.ledger.embedded;

import java.io.IOException;
import java.nio.file.Path;

/** The block log on the journal package. */
final class JournalBlockLog {
  private JournalBlockLog() {}

  static BlockLog open(Path dir) throws IOException {
    throw new IOException("the journal is not available yet: " + dir);
  }
}
