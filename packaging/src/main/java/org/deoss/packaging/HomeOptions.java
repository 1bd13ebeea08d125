package org.deoss.packaging;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --home} option every command shares: where DeOSS keeps its files. */
final class HomeOptions {
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
}
