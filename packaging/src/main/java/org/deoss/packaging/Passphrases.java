package org.deoss.packaging;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where a wallet passphrase comes from: a file named by {@code --passphrase-file}, the {@code
 * DEOSS_PASSPHRASE} variable (for scripts and tests), or a prompt on the terminal.
 */
final class Passphrases {
  private Passphrases() {}

  static char[] read(Path file, boolean confirm) throws IOException {
    if (file != null) {
      if (!Files.isReadable(file)) {
        throw new UserException("cannot read the passphrase file " + file);
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return stripNewline(text).toCharArray();
    }
    String env = System.getenv("DEOSS_PASSPHRASE");
    if (env != null) {
      return env.toCharArray();
    }
    Console console = System.console();
    if (console == null) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line = in.readLine();
      if (line == null) {
        throw new UserException(
            "no passphrase: give --passphrase-file, set DEOSS_PASSPHRASE, or run in a terminal");
      }
      return line.toCharArray();
    }
    char[] first = console.readPassword("Wallet passphrase: ");
    if (first == null) {
      throw new UserException("no passphrase given");
    }
    if (confirm) {
      char[] again = console.readPassword("Repeat the passphrase: ");
      if (again == null || !Arrays.equals(first, again)) {
        throw new UserException("the two passphrases differ; nothing was written");
      }
    }
    return first;
  }

  private static String stripNewline(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }
}
