package org.deoss.packaging;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.Wallet;
import org.deoss.core.account.WalletParams;
import org.deoss.transfer.miner.MinerDaemon;
import org.deoss.transfer.node.RemoteLedgerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deoss miner}: a storage miner serving fragments from a data folder. */
@Command(
    name = "miner",
    mixinStandardHelpOptions = true,
    description = {
      "Run a storage miner: fragments in HOME/fragments served over the fragment protocol,",
      "registered on the ledger with its endpoint, capacity and zone. Its address is written to"
          + " HOME/miner.addr; logs go to HOME/logs/miner.log. Stop it with Ctrl-C or SIGTERM."
    })
final class MinerCommand implements Callable<Integer> {
  @Mixin HomeOptions home;
  @Spec CommandSpec spec;

  @Option(names = "--node", required = true, paramLabel = "URL", description = "Ledger node URL.")
  URI node;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:0",
      description =
          "Where to listen; the host is also the endpoint registered (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--capacity",
      paramLabel = "SIZE",
      defaultValue = "10GiB",
      description = "Space offered, e.g. 512MiB, 10GiB (default: ${DEFAULT-VALUE}).")
  String capacity;

  @Option(names = "--zone", defaultValue = "default", description = "Failure domain label.")
  String zone;

  @Option(names = "--verify", description = "Re-check every fragment on disk at start.")
  boolean verify;

  @Option(
      names = "--new-wallet",
      description = "Create HOME/wallet.json if there is none (passphrase as for deoss wallet).")
  boolean newWallet;

  @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Wallet passphrase file.")
  Path passphraseFile;

  @Override
  public Integer call() throws Exception {
    Path dir = home.home();
    Files.createDirectories(dir);
    Daemons.logTo(dir, "miner");
    HostPort hp = HostPort.parse(listen, "--listen");
    long bytes = Sizes.parse(capacity);
    Path wallet = home.wallet();
    if (!Files.exists(wallet)) {
      if (!newWallet) {
        throw new UserException(
            "no wallet at " + wallet + "; create one (deoss wallet create) or pass --new-wallet");
      }
      Wallet.create(
          wallet,
          AccountKeys.generate(new SecureRandom()),
          Passphrases.read(passphraseFile, false),
          WalletParams.DEFAULT,
          new SecureRandom());
    }
    AccountKeys keys = Wallet.open(wallet, Passphrases.read(passphraseFile, false));
    RemoteLedgerClient ledger =
        RemoteLedgerClient.connect(node, RemoteLedgerClient.Options.defaults());
    MinerDaemon.Config config =
        MinerDaemon.Config.of(dir.resolve("fragments"), bytes, hp.host(), hp.port(), zone);
    if (verify) {
      config = config.withVerifyOnStart(true);
    }
    MinerDaemon miner;
    try {
      miner = MinerDaemon.start(keys, ledger, config);
    } catch (RuntimeException e) {
      ledger.close();
      throw e;
    }
    Daemons.writeAtomically(dir.resolve("miner.addr"), miner.endpoint());
    spec.commandLine().getOut().println("miner " + miner.id() + " at " + miner.endpoint());
    spec.commandLine().getOut().flush();
    Daemons.awaitSignal(
        () -> {
          miner.close();
          ledger.close();
        });
    return 0;
  }
}
