package org.deoss.packaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.deoss.transfer.repair.RepairDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deoss repair}: the repair service, a long-running daemon. */
@Command(
    name = "repair",
    mixinStandardHelpOptions = true,
    description = {
      "Run the repair service: rebuild the fragments that sit on frozen, offline or exiting"
          + " miners, place them on other miners and record the move on the ledger, one"
          + " transaction per segment. It acts as HOME's wallet, so it repairs that account's"
          + " objects and those of accounts that authorized it (deoss authorize).",
      "The work lives on the ledger: a stopped service resumes where it was. Logs go to"
          + " HOME/logs/repair.log. Stop it with Ctrl-C or SIGTERM."
    })
final class RepairCommand implements Callable<Integer> {
  @Mixin AccountOptions account;
  @Spec CommandSpec spec;

  @Option(
      names = "--rate",
      paramLabel = "SIZE",
      defaultValue = "32MiB",
      description =
          "Most bytes per second fetched from and sent to miners, e.g. 8MiB (default:"
              + " ${DEFAULT-VALUE}).")
  String rate;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description =
          "Pause between passes when there is nothing to repair (default: ${DEFAULT-VALUE}).")
  String interval;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = "Most time for one fragment fetch or put (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--min-healthy",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Let a segment that only lost fragments to OFFLINE miners (they may come back) wait"
              + " while N of its fragments are on ACTIVE miners, e.g. 6 for k+2 with RS 4+8."
              + " Fragments of frozen and exiting miners are always moved (default 0: repair"
              + " everything at once).")
  int minHealthy;

  @Override
  public Integer call() throws Exception {
    Path dir = account.home.home();
    Files.createDirectories(dir);
    RepairDaemon.Config config;
    try {
      config =
          new RepairDaemon.Config(
              Sizes.parse(rate),
              Durations.parse(interval, "--interval"),
              Durations.parse(timeout, "--timeout"),
              RepairDaemon.Config.defaults().ordersPerPass(),
              minHealthy);
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage(), e);
    }
    AccountOptions.Session s = account.open();
    Daemons.logTo(dir, "repair");
    RepairDaemon daemon;
    try {
      daemon = RepairDaemon.start(s.keys, s.ledger, config);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    spec.commandLine().getOut().println("repair service for " + s.keys.id() + " running");
    spec.commandLine().getOut().flush();
    Daemons.awaitSignal(
        () -> {
          daemon.close();
          s.close();
        });
    return 0;
  }
}
