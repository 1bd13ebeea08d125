package org.deoss.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.random.RandomGenerator;

/** Generated passphrases, and files only their owner may read. */
final class Secrets {
  /** Letters and digits without look-alikes (no 0/O, 1/l/I): easy to copy by hand. */
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

  private Secrets() {}

  /** A passphrase of {@code groups} groups of five characters, 25 bits each, dash-separated. */
  static char[] generate(RandomGenerator random, int groups) {
    if (groups < 1) {
      throw new IllegalArgumentException("groups = " + groups + ": need at least 1");
    }
    char[] p = new char[groups * 6 - 1];
    for (int i = 0; i < p.length; i++) {
      p[i] = i % 6 == 5 ? '-' : ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return p;
  }

  /**
   * Writes {@code secret} to a new file with mode 0600 from the start (never readable by others,
   * not even for a moment).
   *
   * @throws java.nio.file.FileAlreadyExistsException when the file exists: a secret is never
   *     overwritten
   */
  static void writeNew(Path file, char[] secret) throws IOException {
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        file,
        new String(secret) + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }
}
