package org.deoss.packaging;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --home} option every command shares: where DeOSS keeps its files. */
final class HomeOptions {
  static final String PASSPHRASE_FILE = "passphrase";

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description = "Where DeOSS keeps its data (default: $DEOSS_HOME, else ~/.deoss).")
  Path home;

  Path home() {
    if (home != null) {
      return home;
    }
    String env = System.getenv("DEOSS_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".deoss");
  }

  Path wallet() {
    return home().resolve("wallet.json");
  }

  /** The passphrase file that {@code deoss up} writes when it creates the wallet (mode 0600). */
  Path passphrase() {
    return home().resolve(PASSPHRASE_FILE);
  }

  /**
   * The passphrase file a command should read: {@code given} (a --passphrase-file option) if set;
   * else none when {@code DEOSS_PASSPHRASE} is set (the variable wins); else the home's {@link
   * #passphrase} file when it exists (so commands beside {@code deoss up} need no flag); else none
   * (a prompt).
   */
  Path passphraseFile(Path given) {
    if (given != null) {
      return given;
    }
    if (System.getenv("DEOSS_PASSPHRASE") != null) {
      return null;
    }
    Path f = passphrase();
    return Files.isRegularFile(f) ? f : null;
  }

  /**
   * The ledger node URL that {@code deoss node} or {@code deoss up} wrote into this home, if there
   * is one.
   */
  Optional<URI> recordedNode() throws IOException {
    Path f = home().resolve("node.url");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    String text = Files.readString(f, StandardCharsets.UTF_8).strip();
    try {
      return Optional.of(URI.create(text));
    } catch (IllegalArgumentException e) {
      throw new UserException(f + " holds '" + text + "', which is not a URL", e);
    }
  }

  /** The node to talk to: {@code given} (a --node option) if set, else {@link #recordedNode}. */
  URI node(URI given) throws IOException {
    if (given != null) {
      return given;
    }
    return recordedNode()
        .orElseThrow(
            () ->
                new UserException(
                    "no --node given and no "
                        + home().resolve("node.url")
                        + "; pass --node URL, or start deoss up or deoss node with this home"));
  }
}
