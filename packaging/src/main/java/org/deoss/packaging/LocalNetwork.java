package org.deoss.packaging;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.Wallet;
import org.deoss.core.account.WalletParams;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.embedded.EmbeddedLedger;
import org.deoss.core.port.LedgerClient;
import org.deoss.transfer.miner.MinerDaemon;
import org.deoss.transfer.node.LedgerNodeServer;

/**
 * The network of {@code deoss up} in one process: the embedded ledger in HOME/node served over HTTP
 * (as {@code deoss node} does, same genesis, so either can open that folder), and miners on
 * loopback, each in HOME/miners/NN with its own wallet and fragments. The miners talk to the ledger
 * in process; other processes reach it through the node URL. {@link #close} stops the miners, then
 * the server, then the ledger.
 */
final class LocalNetwork implements AutoCloseable {
  private final EmbeddedLedger ledger;
  private final LedgerNodeServer server;
  private final List<MinerDaemon> miners;

  private LocalNetwork(EmbeddedLedger ledger, LedgerNodeServer server, List<MinerDaemon> miners) {
    this.ledger = ledger;
    this.server = server;
    this.miners = miners;
  }

  /**
   * What to start.
   *
   * @param home the home folder
   * @param miners how many miners, 1..64
   * @param listenBase the node's port; miner i listens on listenBase + 1 + i; 0 picks free ports
   * @param minerCapacity bytes each miner offers
   * @param passphrase the passphrase of the miners' wallets (made on first start)
   */
  record Config(Path home, int miners, int listenBase, long minerCapacity, char[] passphrase) {
    Config {
      if (miners < 1 || miners > 64) {
        throw new UserException("--miners " + miners + ": give 1 to 64");
      }
      if (listenBase != 0 && (listenBase < 1 || listenBase + miners > 65535)) {
        throw new UserException(
            "--listen-base "
                + listenBase
                + ": give 0 (free ports) or a port such that port + miners <= 65535");
      }
      if (minerCapacity <= 0) {
        throw new UserException("--miner-capacity " + minerCapacity + ": must be positive");
      }
    }

    int port(int miner) {
      return listenBase == 0 ? 0 : listenBase + 1 + miner;
    }
  }

  /** Where miner {@code i} keeps its wallet and fragments. */
  static Path minerHome(Path home, int i) {
    return home.resolve("miners").resolve(String.format(Locale.ROOT, "%02d", i));
  }

  /** How many miner folders a previous start left in {@code home}. */
  static int existingMiners(Path home) {
    int n = 0;
    while (Files.isDirectory(minerHome(home, n))) {
      n++;
    }
    return n;
  }

  /** Opens the ledger, serves it, starts the miners; on failure stops what it started. */
  static LocalNetwork start(Config c) throws IOException, InterruptedException {
    // A new home gets the current rules; one made before genesis files keeps the first ones.
    Genesis genesis =
        NodeGenesis.choose(
                c.home().resolve("node"), NodeCommand.newDevGenesis(), NodeCommand.devGenesis())
            .genesis();
    EmbeddedLedger ledger =
        EmbeddedLedger.open(c.home().resolve("node"), genesis, EmbeddedLedger.Options.defaults());
    LedgerNodeServer server;
    try {
      server =
          LedgerNodeServer.start(
              ledger,
              new InetSocketAddress("127.0.0.1", c.listenBase()),
              LedgerNodeServer.Options.defaults());
    } catch (RuntimeException e) {
      ledger.close();
      throw new UserException(
          "cannot serve the ledger on 127.0.0.1:"
              + c.listenBase()
              + " ("
              + e.getMessage()
              + "); is another deoss node running? Choose other ports with --listen-base",
          e);
    }
    List<MinerDaemon> miners = new ArrayList<>();
    LocalNetwork net = new LocalNetwork(ledger, server, miners);
    try {
      for (int i = 0; i < c.miners(); i++) {
        miners.add(startMiner(c, i, ledger));
      }
    } catch (IOException | RuntimeException e) {
      net.close();
      throw e;
    }
    return net;
  }

  private static MinerDaemon startMiner(Config c, int i, LedgerClient ledger) throws IOException {
    Path dir = minerHome(c.home(), i);
    Files.createDirectories(dir);
    Path wallet = dir.resolve("wallet.json");
    if (!Files.exists(wallet)) {
      Wallet.create(
          wallet,
          AccountKeys.generate(new SecureRandom()),
          c.passphrase(),
          WalletParams.DEFAULT,
          new SecureRandom());
    }
    AccountKeys keys = Wallet.open(wallet, c.passphrase());
    MinerDaemon.Config config =
        MinerDaemon.Config.of(
            dir.resolve("fragments"), c.minerCapacity(), "127.0.0.1", c.port(i), "zone-" + (i % 4));
    try {
      return MinerDaemon.start(keys, ledger, config);
    } catch (IOException | RuntimeException e) {
      throw new UserException(
          "miner "
              + i
              + " cannot start on 127.0.0.1:"
              + c.port(i)
              + " ("
              + e.getMessage()
              + "); choose other ports with --listen-base",
          e);
    }
  }

  /** The ledger, for the in-process miners, mount and clients. */
  LedgerClient ledger() {
    return ledger;
  }

  String networkId() {
    return ledger.networkId();
  }

  /** The node URL other processes use. */
  URI nodeUrl() {
    return server.uri();
  }

  /** The miners' endpoints, {@code host:port}, in order. */
  List<String> minerEndpoints() {
    return miners.stream().map(MinerDaemon::endpoint).toList();
  }

  @Override
  public void close() {
    for (MinerDaemon m : miners) {
      m.close();
    }
    server.close();
    ledger.close();
  }
}
