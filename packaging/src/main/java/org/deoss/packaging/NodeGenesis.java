package org.deoss.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.ProofVerifier;
import org.deoss.core.ledger.codec.CodecException;

/**
 * The genesis of a node's journal folder. The genesis is the journal's identity (it is hashed into
 * the first block), so it is chosen once: when the folder holds no journal yet, the genesis the
 * options ask for is used and written to {@code genesis.bin} beside the journal; later starts read
 * that file and ignore what the options say. A journal made before genesis files existed is opened
 * with the genesis older versions built from the same options (rules version 1).
 */
final class NodeGenesis {
  static final String FILE = "genesis.bin";

  private NodeGenesis() {}

  /**
   * The genesis to open {@code dir} with, and a note for the operator when the options were not
   * used (null if they were).
   */
  record Choice(Genesis genesis, String note) {}

  /**
   * @param dir the journal folder (HOME/node)
   * @param fresh what the options ask for, used for a new journal
   * @param legacy what a journal without a genesis file was made with
   */
  static Choice choose(Path dir, Genesis fresh, Genesis legacy) throws IOException {
    Path file = dir.resolve(FILE);
    if (Files.exists(file)) {
      Genesis stored;
      try {
        stored = Genesis.decode(Files.readAllBytes(file), ProofVerifier.merkle());
      } catch (CodecException e) {
        throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
      }
      return new Choice(
          stored,
          stored.hash().equals(fresh.hash())
              ? null
              : "the journal in "
                  + dir
                  + " keeps the genesis it was made with ("
                  + file
                  + ");"
                  + " genesis options apply only to a new journal");
    }
    if (hasJournal(dir)) {
      return new Choice(
          legacy,
          legacy.hash().equals(fresh.hash())
              ? null
              : "the journal in "
                  + dir
                  + " predates genesis files: opened with rules version 1"
                  + " and the audit options given; economics and space-time options ignored");
    }
    Files.createDirectories(dir);
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.write(tmp, fresh.encode());
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return new Choice(fresh, null);
  }

  private static boolean hasJournal(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.anyMatch(p -> !p.getFileName().toString().startsWith(FILE));
    }
  }
}
