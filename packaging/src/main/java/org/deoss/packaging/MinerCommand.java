package org.deoss.packaging;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.Wallet;
import org.deoss.core.account.WalletParams;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.MinerInfo;
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
    subcommands = {MinerCommand.Exit.class, MinerCommand.Status.class},
    description = {
      "Run a storage miner: fragments in HOME/fragments served over the fragment protocol,",
      "registered on the ledger with its endpoint, capacity and zone, answering the ledger's"
          + " storage audits. Its address is written to HOME/miner.addr; logs go to"
          + " HOME/logs/miner.log. Stop it with Ctrl-C or SIGTERM.",
      "'deoss miner exit' makes the miner leave the network; 'deoss miner status' shows its"
          + " state, stake, rewards and penalties."
    })
final class MinerCommand implements Callable<Integer> {
  @Mixin HomeOptions home;
  @Spec CommandSpec spec;

  @Option(
      names = "--node",
      paramLabel = "URL",
      description = "Ledger node URL (default: the URL in HOME/node.url).")
  URI node;

  @Option(
      names = "--heartbeat",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = "How often to tell the ledger the miner is alive (default: ${DEFAULT-VALUE}).")
  String heartbeat;

  @Option(
      names = "--prove-every",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description = "How often to look for audit challenges to answer (default: ${DEFAULT-VALUE}).")
  String proveEvery;

  @Option(
      names = "--collect-every",
      paramLabel = "DURATION",
      defaultValue = "1h",
      description =
          "How often to delete fragments no object references any more (default:"
              + " ${DEFAULT-VALUE}).")
  String collectEvery;

  @Option(
      names = "--collect-grace",
      paramLabel = "DURATION",
      defaultValue = "1d",
      description =
          "How long a fragment must have been unreferenced before it is deleted (default:"
              + " ${DEFAULT-VALUE}).")
  String collectGrace;

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

  @Option(
      names = "--packed-max",
      paramLabel = "SIZE",
      defaultValue = "1MiB",
      description =
          "Fragments up to SIZE are packed into shared log files, whose flushes concurrent puts"
              + " share; 0 gives every fragment its own file (default: ${DEFAULT-VALUE}).")
  String packedMax;

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
          Passphrases.read(home.passphraseFile(passphraseFile), false),
          WalletParams.DEFAULT,
          new SecureRandom());
    }
    AccountKeys keys =
        Wallet.open(wallet, Passphrases.read(home.passphraseFile(passphraseFile), false));
    MinerDaemon.Config config =
        MinerDaemon.Config.of(dir.resolve("fragments"), bytes, hp.host(), hp.port(), zone)
            .withHeartbeat(Durations.parse(heartbeat, "--heartbeat"))
            .withProveEvery(Durations.parse(proveEvery, "--prove-every"))
            .withCollection(
                Durations.parse(collectEvery, "--collect-every"),
                Durations.parse(collectGrace, "--collect-grace"))
            .withPackedMaxLength(packedMaxBytes());
    RemoteLedgerClient ledger =
        RemoteLedgerClient.connect(home.node(node), RemoteLedgerClient.Options.defaults());
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

  private long packedMaxBytes() {
    long n = Sizes.parse(packedMax);
    if (n > MinerDaemon.Config.MAX_PACKED) {
      throw new UserException(
          "--packed-max " + packedMax + ": at most " + Sizes.format(MinerDaemon.Config.MAX_PACKED));
    }
    return n;
  }

  /**
   * {@code deoss miner status}: what the ledger records about the miner of HOME's wallet (or of
   * {@code --miner}). Reads the wallet's address without its passphrase.
   */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show the ledger's record of the miner of HOME's wallet (or --miner ADDRESS): state,"
            + " stake left, proof rewards earned, stake slashed for missed challenges, faults,"
            + " proofs and fragments held.",
      })
  static final class Status implements Callable<Integer> {
    @Mixin HomeOptions home;
    @Spec CommandSpec spec;

    @Option(
        names = "--node",
        paramLabel = "URL",
        description = "Ledger node URL (default: the URL in HOME/node.url).")
    URI node;

    @Option(
        names = "--miner",
        paramLabel = "ADDRESS",
        description = "The miner's account address (default: HOME's wallet).")
    String miner;

    @Override
    public Integer call() throws Exception {
      AccountId id;
      if (miner != null) {
        try {
          id = AccountId.parse(miner);
        } catch (IllegalArgumentException e) {
          throw new UserException("--miner '" + miner + "' is not an address: " + e.getMessage());
        }
      } else {
        Path wallet = home.wallet();
        if (!Files.exists(wallet)) {
          throw new UserException("no wallet at " + wallet + "; give --miner ADDRESS");
        }
        id = Wallet.peekAddress(wallet);
      }
      try (RemoteLedgerClient ledger =
          RemoteLedgerClient.connect(home.node(node), RemoteLedgerClient.Options.defaults())) {
        MinerInfo m =
            ledger
                .miner(id)
                .orElseThrow(() -> new UserException("account " + id + " is not a miner"));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("miner      %s (%s)%n", m.id(), m.status());
        out.printf("endpoint   %s, zone '%s'%n", m.endpoint(), m.zone());
        out.printf(
            "capacity   %s, %d fragments held, %s reported used%n",
            Sizes.format(m.capacityBytes()), m.fragments(), Sizes.format(m.reportedUsedBytes()));
        out.printf(
            "stake      %s tokens (what an exit returns)%n", FaucetCommand.tokens(m.stake()));
        out.printf(
            "rewards    %s tokens earned for %d proofs%n",
            FaucetCommand.tokens(m.rewards()), m.proofs());
        out.printf(
            "penalties  %s tokens slashed for %d missed challenges%n",
            FaucetCommand.tokens(m.penalties()), m.faults());
        out.flush();
      }
      return 0;
    }
  }

  /**
   * {@code deoss miner exit}: the miner leaves the network. The ledger orders its fragments
   * repaired onto other miners (repairers copy them from it, so it should keep running), and
   * returns the stake once nothing is left on it.
   */
  @Command(
      name = "exit",
      mixinStandardHelpOptions = true,
      description = {
        "Make the miner of HOME's wallet leave the network: its fragments are moved to other"
            + " miners by the repair service, then its stake is returned. Keep the miner running"
            + " until then: it serves the copies.",
      })
  static final class Exit implements Callable<Integer> {
    @Mixin AccountOptions account;
    @Spec CommandSpec spec;

    @Option(
        names = "--wait",
        description = "Wait until the ledger has moved every fragment and returned the stake.")
    boolean await;

    @Override
    public Integer call() throws Exception {
      try (AccountOptions.Session s = account.open()) {
        var info =
            s.ledger
                .miner(s.keys.id())
                .orElseThrow(() -> new UserException("account " + s.keys.id() + " is not a miner"));
        // the running miner signs heartbeats with the same account: nonce races are retried
        s.transactions().submitAndWaitRetryingNonce(new Call.ExitMiner(), 10);
        PrintWriter out = spec.commandLine().getOut();
        out.println(
            "miner "
                + s.keys.id()
                + " is exiting: "
                + info.fragments()
                + " fragments to move; the stake returns when none is left");
        out.flush();
        while (await) {
          var now = s.ledger.miner(s.keys.id());
          if (now.isEmpty()) {
            out.println("miner " + s.keys.id() + " has left; stake returned");
            out.flush();
            break;
          }
          Thread.sleep(1000);
        }
      }
      return 0;
    }
  }
}
