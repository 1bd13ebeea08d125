package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated wallet passphrase of deoss up and the file that keeps it. */
class SecretsTest {
  private static final long SEED = 20261124L;

  @TempDir Path dir;

  @Test
  void generate_givesDashSeparatedGroupsOfUnambiguousCharacters() {
    String p = new String(Secrets.generate(new SplittableRandom(SEED), 6));
    assertTrue(
        p.matches("([a-km-np-z2-9]{5}-){5}[a-km-np-z2-9]{5}"), "seed " + SEED + " gave " + p);
  }

  @Test
  void generate_differsFromOneDrawToTheNext() {
    SplittableRandom random = new SplittableRandom(SEED);
    assertNotEquals(
        new String(Secrets.generate(random, 6)),
        new String(Secrets.generate(random, 6)),
        "seed " + SEED);
  }

  @Test
  void generate_withNoGroups_isRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> Secrets.generate(new SplittableRandom(1), 0));
  }

  @Test
  void writeNew_createsAFileOnlyItsOwnerCanReadOrWrite() throws Exception {
    Path f = dir.resolve("passphrase");
    Secrets.writeNew(f, "abcde-fghij".toCharArray());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertEquals("abcde-fghij\n", Files.readString(f));
  }

  @Test
  void writeNew_neverOverwritesAnExistingSecret() throws Exception {
    Path f = dir.resolve("passphrase");
    Files.writeString(f, "kept\n");
    assertThrows(FileAlreadyExistsException.class, () -> Secrets.writeNew(f, "new".toCharArray()));
    assertEquals("kept\n", Files.readString(f));
  }
}
