package org.deoss.packaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.deoss.core.repair.RepairThreshold;
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
      names = "--repair-at",
      paramLabel = "HEALTHY",
      defaultValue = "k+2",
      description =
          "A segment that lost fragments only to OFFLINE miners (they may come back, and then the"
              + " ledger withdraws their repair orders) is repaired when its fragments on ACTIVE"
              + " miners fall to HEALTHY or fewer, and is then brought back to n. HEALTHY is k+M"
              + " (k: the fragments a segment needs, 4 with RS 4+8), N, or n to repair at once."
              + " Fragments of frozen and exiting miners are always moved (default:"
              + " ${DEFAULT-VALUE}).")
  String repairAt;

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
              RepairThreshold.parse(repairAt));
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
