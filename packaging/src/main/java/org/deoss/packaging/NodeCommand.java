package org.deoss.packaging;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.embedded.EmbeddedLedger;
import org.deoss.transfer.node.LedgerNodeServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deoss node}: the embedded ledger served over HTTP to the other processes. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
      "Run a ledger node: the embedded, journalled ledger served over HTTP/JSON.",
      "With --id and --peers the node is one replica of a ledger replicated over a Raft group"
          + " of 3 or 5 nodes (Apache Ratis): every node serves the same HTTP API, takes"
          + " transactions and forwards them to the group's leader.",
      "Its data lives in HOME/node; its URL is written to HOME/node.url; logs go to"
          + " HOME/logs/node.log. Stop it with Ctrl-C or SIGTERM.",
      "Genesis options (audits, --offline-after, --proof-reward, --fault-penalty, --day-length,"
          + " --grace) are part of the journal's identity: they apply only when HOME/node holds"
          + " no journal yet, and are then kept in HOME/node/genesis.bin; later starts use the"
          + " kept genesis and say so when the options differ."
    },
    subcommands = {NodeMembersCommand.class, NodeAddPeerCommand.class, NodeRemovePeerCommand.class})
final class NodeCommand implements Callable<Integer> {
  /**
   * The development network as the first versions made it (rules version 1, no audit economics):
   * cheap stakes so that local miners can register from the faucet, and no storage audits. Journals
   * and replica storage made before genesis files existed use it.
   */
  static Genesis devGenesis() {
    return Genesis.builder("deoss-dev")
        .minStakePerTib(10 * Genesis.TOKEN)
        .audits(0, 1, 4, 50, 3)
        .rulesVersion(1)
        .build();
  }

  /**
   * The development network for a new journal: as {@link #devGenesis()} with the current rules and
   * the default audit economics (which only matter once audits are on).
   */
  static Genesis newDevGenesis() {
    return new NodeCommand().genesis();
  }

  @Option(
      names = "--proof-reward",
      paramLabel = "TOKENS",
      defaultValue = "0.01",
      description =
          "Paid to a miner from the reward pool (which space purchases and slashed stakes feed)"
              + " for each accepted proof; less when the pool holds less (default:"
              + " ${DEFAULT-VALUE}; genesis).")
  String proofReward = "0.01";

  @Option(
      names = "--fault-penalty",
      paramLabel = "TOKENS",
      defaultValue = "1",
      description =
          "Taken from a miner's stake into the reward pool for each missed challenge (default:"
              + " ${DEFAULT-VALUE}; genesis).")
  String faultPenalty = "1";

  @Option(
      names = "--day-length",
      paramLabel = "DURATION",
      defaultValue = "1d",
      description =
          "The day that space is bought in (deoss space buy --days): shorter on a test network"
              + " so space expires in seconds, e.g. 2s (default: ${DEFAULT-VALUE}; genesis).")
  String dayLength = "1d";

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      defaultValue = "7d",
      description =
          "After space expires its objects are read-only for this long, then deleted (default:"
              + " ${DEFAULT-VALUE}; genesis).")
  String grace = "7d";

  @Option(
      names = "--audit-every",
      paramLabel = "BLOCKS",
      defaultValue = "0",
      description =
          "Challenge miners every BLOCKS blocks (default 0: no audits). Audit options are part of"
              + " the network's genesis: they apply to a new journal only.")
  int auditEvery;

  @Option(
      names = "--audit-window",
      paramLabel = "BLOCKS",
      defaultValue = "50",
      description = "Blocks a miner has to answer a challenge (default: ${DEFAULT-VALUE}).")
  int auditWindow = 50;

  @Option(
      names = "--audit-miners",
      paramLabel = "N",
      defaultValue = "1",
      description = "Miners challenged per audit round (default: ${DEFAULT-VALUE}).")
  int auditMiners = 1;

  @Option(
      names = "--audit-fragments",
      paramLabel = "N",
      defaultValue = "4",
      description = "Fragments sampled per challenged miner (default: ${DEFAULT-VALUE}).")
  int auditFragments = 4;

  @Option(
      names = "--fault-threshold",
      paramLabel = "N",
      defaultValue = "3",
      description = "Missed challenges that freeze a miner (default: ${DEFAULT-VALUE}).")
  int faultThreshold = 3;

  @Option(
      names = "--offline-after",
      paramLabel = "DURATION",
      description =
          "A miner without a heartbeat for this long is offline and its fragments repaired"
              + " (default: 10m; part of the genesis).")
  String offlineAfter;

  @Option(
      names = "--block-interval",
      paramLabel = "DURATION",
      defaultValue = "6s",
      description =
          "Make an empty block when none was made for this long, so that time-driven rules"
              + " (audit deadlines, offline miners, expiry) advance (default: ${DEFAULT-VALUE}).")
  String blockInterval;

  /** The development genesis with this command's options, for a new journal. */
  Genesis genesis() {
    Genesis.Builder b = legacyBuilder();
    b.rulesVersion(Genesis.RULES_VERSION)
        .economics(
            Tokens.parse(proofReward, "--proof-reward"),
            Tokens.parse(faultPenalty, "--fault-penalty"))
        .dayMillis(Durations.parse(dayLength, "--day-length").toMillis())
        .graceMillis(Durations.parse(grace, "--grace").toMillis());
    return build(b);
  }

  /**
   * What versions before genesis files built from the audit options, for a journal they made: the
   * options that did not exist then are left out.
   */
  Genesis legacyGenesis() {
    if (auditEvery == 0 && offlineAfter == null) {
      return devGenesis();
    }
    return build(legacyBuilder().rulesVersion(1));
  }

  private Genesis.Builder legacyBuilder() {
    Genesis.Builder b =
        Genesis.builder("deoss-dev")
            .minStakePerTib(10 * Genesis.TOKEN)
            .audits(auditEvery, auditMiners, auditFragments, auditWindow, faultThreshold);
    if (offlineAfter != null) {
      b.offlineAfterMillis(Durations.parse(offlineAfter, "--offline-after").toMillis());
    }
    return b;
  }

  private static Genesis build(Genesis.Builder b) {
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage(), e);
    }
  }

  @Mixin HomeOptions home;
  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:8940",
      description = "Where to listen (default: ${DEFAULT-VALUE}; port 0 picks a free one).")
  String listen;

  @Option(
      names = "--peers",
      paramLabel = "ID=HOST:PORT,...",
      description =
          "Replicate the ledger over this Raft group (3 or 5 members, this node among them;"
              + " HOST:PORT is each member's Raft port). Without it the ledger is embedded.")
  String peers;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "This node's id in --peers (required with --peers).")
  String id;

  @Option(
      names = "--snapshot-every",
      paramLabel = "ENTRIES",
      defaultValue = "10000",
      description =
          "Replicated mode: Raft log entries (blocks) between snapshots (default:"
              + " ${DEFAULT-VALUE}).")
  long snapshotEvery;

  @Override
  public Integer call() throws Exception {
    Path dir = home.home();
    Files.createDirectories(dir);
    Daemons.logTo(dir, "node");
    HostPort hp = HostPort.parse(listen, "--listen");
    if (peers != null || id != null) {
      if (peers == null || id == null) {
        throw new UserException("--peers and --id go together");
      }
      // Every member must be started with the same genesis options; a member's storage made
      // before genesis files existed keeps rules version 1.
      NodeGenesis.Choice chosen = NodeGenesis.choose(dir.resolve("node"), genesis(), devGenesis());
      if (chosen.note() != null) {
        spec.commandLine().getOut().println(chosen.note());
      }
      // A class of its own, so that the embedded mode never loads a Ratis class.
      return ReplicatedNode.run(
          dir, chosen.genesis(), peers, id, snapshotEvery, hp, spec.commandLine().getOut());
    }
    NodeGenesis.Choice genesis =
        NodeGenesis.choose(dir.resolve("node"), genesis(), legacyGenesis());
    if (genesis.note() != null) {
      spec.commandLine().getOut().println(genesis.note());
    }
    EmbeddedLedger ledger =
        EmbeddedLedger.open(
            dir.resolve("node"),
            genesis.genesis(),
            EmbeddedLedger.Options.defaults()
                .withEmptyBlockAfterMillis(
                    Durations.parse(blockInterval, "--block-interval").toMillis()));
    LedgerNodeServer server;
    try {
      server =
          LedgerNodeServer.start(
              ledger,
              new InetSocketAddress(hp.host(), hp.port()),
              LedgerNodeServer.Options.defaults());
    } catch (RuntimeException e) {
      ledger.close();
      throw new UserException("cannot listen on " + listen + ": " + e.getMessage(), e);
    }
    String url = server.uri().toString();
    Daemons.writeAtomically(dir.resolve("node.url"), url);
    spec.commandLine().getOut().println("ledger node " + ledger.networkId() + " at " + url);
    spec.commandLine().getOut().flush();
    Daemons.awaitSignal(
        () -> {
          server.close();
          ledger.close();
        });
    return 0;
  }
}
