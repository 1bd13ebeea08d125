package org.deoss.packaging;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import org.deoss.cache.CacheConfig;
import org.deoss.cache.ObjectStore;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.Wallet;
import org.deoss.core.account.WalletParams;
import org.deoss.core.ledger.AccountInfo;
import org.deoss.core.ledger.BucketInfo;
import org.deoss.core.ledger.Call;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.port.LedgerClient;
import org.deoss.fs.DeossMount;
import org.deoss.fs.MountOptions;
import org.deoss.fs.MountTable;
import org.deoss.transfer.client.StorageClient;
import org.deoss.transfer.gateway.GatewayOptions;
import org.deoss.transfer.gateway.GatewayServer;
import org.deoss.transfer.repair.RepairDaemon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deoss up}: a whole DeOSS in one process (ledger node, miners on loopback, the mount), made
 * on the first start and resumed on later ones. Prints {@value #READY} once everything serves; on
 * SIGINT/SIGTERM uploads what is pending, unmounts, stops everything and exits 0.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start DeOSS on this machine in one process: the ledger node, miners on loopback, the HTTP"
          + " gateway, the repair service and the mount of your buckets (default ~/deoss), with all data in the home"
          + " (default ~/.deoss).",
      "The first start creates a wallet (its generated passphrase goes to HOME/passphrase, mode"
          + " 0600, unless --passphrase-file or $DEOSS_PASSPHRASE gives one), claims faucet"
          + " tokens, buys space and creates a first bucket; later starts find them again.",
      "Other commands in another terminal (deoss status, bucket ls, mount, ...) use it with no"
          + " flags: they read HOME/node.url and HOME/passphrase. Logs go to HOME/logs/up.log.",
      "Ctrl-C or SIGTERM upload pending files (with progress), unmount and stop; exit 0.",
      "Exit codes: 0 stopped cleanly, 1 failed, 2 bad input or missing FUSE (the message says"
          + " what to install)."
    })
final class UpCommand implements Callable<Integer> {
  /** The line {@code deoss up} prints once everything serves (scripts and tests wait for it). */
  static final String READY = "deoss is ready";

  static final int DEFAULT_MINERS = 12;

  @Mixin HomeOptions home;
  @Spec CommandSpec spec;

  @Option(
      names = "--mount",
      paramLabel = "DIR",
      description = "Where the buckets appear (default: ~/deoss).")
  Path mountPoint;

  @Option(
      names = "--miners",
      paramLabel = "N",
      description =
          "How many miners to run (default: as many as the home has, else "
              + DEFAULT_MINERS
              + "; 12 keep every fragment of a segment on its own miner).")
  Integer miners;

  @Option(
      names = "--listen-base",
      paramLabel = "PORT",
      defaultValue = "8940",
      description =
          "The node listens on 127.0.0.1:PORT, miner i on PORT+1+i, the gateway on"
              + " PORT+1+MINERS (default: ${DEFAULT-VALUE}; 0 picks free ports).")
  int listenBase;

  @Option(
      names = "--miner-capacity",
      paramLabel = "SIZE",
      defaultValue = "4GiB",
      description = "Space each miner offers (default: ${DEFAULT-VALUE}).")
  String minerCapacity;

  @Option(
      names = "--space",
      paramLabel = "GIB",
      defaultValue = "10",
      description =
          "GiB of space to buy for 30 days on the first start (default: ${DEFAULT-VALUE}).")
  long spaceGib;

  @Option(
      names = "--bucket",
      paramLabel = "NAME",
      defaultValue = "files",
      description = "The first bucket, made when the account has none (default: ${DEFAULT-VALUE}).")
  String firstBucket;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description =
          "The wallet passphrase (default: $DEOSS_PASSPHRASE, else HOME/passphrase, which the"
              + " first start generates).")
  Path passphraseFile;

  @Option(
      names = "--drain-timeout",
      paramLabel = "SECONDS",
      defaultValue = "600",
      description = "How long stopping waits for uploads (default: ${DEFAULT-VALUE}).")
  long drainSeconds;

  /** Whether --home was given (then the other commands need it too, or DEOSS_HOME). */
  private boolean homeGiven;

  /** Set once the mount is drained and unmounted. */
  private volatile boolean mountStopped;

  /** What started, in order; stopped in reverse. */
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    validate();
    homeGiven = home.home != null;
    Path dir = home.home().toAbsolutePath().normalize();
    home.home = dir; // absolute in everything printed and recorded
    Files.createDirectories(dir);
    FileLock lock = lockHome(dir);
    try {
      int prerequisites = new Prerequisites(Prerequisites.system(), out, err).ensure();
      if (prerequisites != 0) {
        return prerequisites;
      }
      Path log = Daemons.logTo(dir, "up");
      try {
        return run(dir, log, out);
      } finally {
        stopAll();
      }
    } finally {
      lock.release();
      lock.channel().close();
    }
  }

  /** Checks the options before anything starts; a bad one names itself and its value. */
  private void validate() {
    if (miners != null && (miners < 1 || miners > 64)) {
      throw new UserException("--miners " + miners + ": give 1 to 64");
    }
    int most = miners != null ? miners : 64;
    if (listenBase < 0 || listenBase > 65535 - most - 1) {
      throw new UserException(
          "--listen-base "
              + listenBase
              + ": give 0 (free ports) or a port p with p + miners + 1 <= 65535");
    }
    if (spaceGib < 1) {
      throw new UserException("--space " + spaceGib + ": buy at least 1 GiB");
    }
    long capacity;
    try {
      capacity = Sizes.parse(minerCapacity);
    } catch (UserException e) {
      throw new UserException("--miner-capacity: " + e.getMessage(), e);
    }
    if (capacity <= 0) {
      throw new UserException("--miner-capacity " + minerCapacity + ": must be positive");
    }
    if (drainSeconds < 0) {
      throw new UserException("--drain-timeout " + drainSeconds + ": must not be negative");
    }
  }

  private int run(Path dir, Path log, PrintWriter out) throws Exception {
    Path mp =
        (mountPoint != null ? mountPoint : Path.of(System.getProperty("user.home"), "deoss"))
            .toAbsolutePath()
            .normalize();
    if (MountTable.typeAt(mp).isEmpty()) {
      Files.createDirectories(mp);
    } // else a mount left by a crash: the mount cleans it (a live one is refused there)
    boolean firstStart = !Files.exists(home.wallet());
    char[] passphrase = passphrase(dir, out);
    int minerCount = minerCount(dir, out);
    out.println(
        "deoss up: starting the ledger node and "
            + minerCount
            + " miners in "
            + dir
            + (firstStart ? " (first start)" : ""));
    out.flush();

    // the account first: a wrong passphrase stops here, before anything listens
    AccountKeys keys = openOrCreateWallet(passphrase);
    started.push(keys::destroy);
    LocalNetwork net =
        LocalNetwork.start(
            new LocalNetwork.Config(
                dir, minerCount, listenBase, Sizes.parse(minerCapacity), passphrase));
    started.push(net);
    Daemons.writeAtomically(dir.resolve("node.url"), net.nodeUrl().toString());

    LedgerClient ledger = net.ledger();
    StorageClient client = new StorageClient(keys, ledger, PipelineConfig.defaults());
    started.push(client);
    String bucket = prepareAccount(keys, ledger, client, out);

    GatewayServer gateway = startGateway(dir, net, keys, client, passphrase, minerCount, out);
    // The repair service of the account's objects; it shares the account's transaction builder.
    RepairDaemon repair =
        RepairDaemon.start(keys, ledger, client.transactions(), RepairDaemon.Config.defaults());
    started.push(repair);

    DeossMount mount = mount(dir, mp, keys, ledger, client);
    started.push(
        () -> {
          if (!mountStopped) { // a failure before awaitStop: unmount all the same
            MountCommand.drainAndUnmount(mount, out, Duration.ofSeconds(drainSeconds));
          }
        });
    started.push(() -> Files.deleteIfExists(dir.resolve(MountStatus.FILE)));
    Path pidFile = dir.resolve("mount.pid");
    Daemons.writeAtomically(pidFile, ProcessHandle.current().pid() + "\n" + mp);
    started.push(() -> Files.deleteIfExists(pidFile));
    ScheduledExecutorService statusWriter = MountCommand.startStatusWriter(dir, mount);
    started.push(statusWriter::shutdownNow);

    UpState state =
        new UpState(
            ProcessHandle.current().pid(),
            net.nodeUrl().toString(),
            mp.toString(),
            bucket,
            minerCount,
            net.minerEndpoints(),
            log.toString(),
            System.currentTimeMillis());
    state.write(dir);
    started.push(() -> Files.deleteIfExists(dir.resolve(UpState.FILE)));
    printReady(out, dir, mp, net, gateway, keys, ledger, bucket, log);
    awaitStop(mount, out);
    return 0;
  }

  /**
   * Starts the HTTP gateway in this process with its own account (wallet HOME/gateway-wallet.json,
   * same passphrase), authorized on first start to act for {@code owner}, so it can store for the
   * owner and read what the owner stores from then on. Listens on the port after the miners' (or a
   * free one with --listen-base 0); the URL goes to HOME/gateway.url.
   */
  private GatewayServer startGateway(
      Path dir,
      LocalNetwork net,
      AccountKeys owner,
      StorageClient ownerClient,
      char[] passphrase,
      int minerCount,
      PrintWriter out)
      throws IOException, InterruptedException {
    Path walletFile = dir.resolve("gateway-wallet.json");
    if (!Files.exists(walletFile)) {
      Wallet.create(
          walletFile,
          AccountKeys.generate(new SecureRandom()),
          passphrase,
          WalletParams.DEFAULT,
          new SecureRandom());
    }
    AccountKeys gatewayKeys = Wallet.open(walletFile, passphrase);
    started.push(gatewayKeys::destroy);
    LedgerClient ledger = net.ledger();
    StorageClient gatewayClient = new StorageClient(gatewayKeys, ledger, PipelineConfig.defaults());
    started.push(gatewayClient);
    if (!ledger.authorizations(owner.id()).contains(gatewayKeys.id())) {
      ownerClient.transactions().submitAndWait(new Call.Authorize(gatewayKeys.id()));
      out.println("authorized the gateway account " + gatewayKeys.id() + " for your account");
      out.flush();
    }
    int port = listenBase == 0 ? 0 : listenBase + 1 + minerCount;
    GatewayServer server =
        GatewayServer.start(
            GatewayOptions.defaults(new InetSocketAddress("127.0.0.1", port)),
            GatewayServer.Backend.of(gatewayKeys, ledger, gatewayClient),
            new VersionProvider().getVersion()[0]);
    started.push(server::close);
    Path urlFile = dir.resolve("gateway.url");
    Daemons.writeAtomically(urlFile, server.uri().toString());
    started.push(() -> Files.deleteIfExists(urlFile));
    return server;
  }

  private FileLock lockHome(Path dir) throws IOException {
    Path lockFile = dir.resolve("up.lock");
    FileChannel ch =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null; // this JVM holds it already
    }
    if (lock == null) {
      ch.close();
      Optional<UpState> other = UpState.read(dir);
      throw new UserException(
          "deoss up already runs with the home "
              + dir
              + other
                  .map(s -> " (pid " + s.pid() + ", mounted on " + s.mountPoint() + ")")
                  .orElse("")
              + "; stop it with Ctrl-C in its terminal, or give another --home");
    }
    return lock;
  }

  /**
   * The wallet passphrase: --passphrase-file, $DEOSS_PASSPHRASE or HOME/passphrase; on the first
   * start without any of them, a generated one written to HOME/passphrase (mode 0600).
   */
  private char[] passphrase(Path dir, PrintWriter out) throws IOException {
    Path file = home.passphraseFile(passphraseFile);
    if (file != null || System.getenv("DEOSS_PASSPHRASE") != null) {
      return Passphrases.read(file, false);
    }
    if (Files.exists(home.wallet())) {
      // a wallet made by hand, without up's passphrase file: ask, as the other commands do
      return Passphrases.read(null, false);
    }
    char[] generated = Secrets.generate(new SecureRandom(), 6);
    Secrets.writeNew(home.passphrase(), generated);
    out.println(
        "deoss up: generated the wallet passphrase into "
            + home.passphrase()
            + " (mode 0600). Anyone who can read it can use your account: keep a copy somewhere"
            + " safe, and delete the file if you would rather type it (set DEOSS_PASSPHRASE).");
    return generated;
  }

  private int minerCount(Path dir, PrintWriter out) {
    int existing = LocalNetwork.existingMiners(dir);
    if (miners == null) {
      return existing > 0 ? existing : DEFAULT_MINERS;
    }
    if (miners < existing) {
      out.println(
          "deoss up: warning: the home has "
              + existing
              + " miners and --miners is "
              + miners
              + "; fragments on the miners left out are unreachable while they do not run");
    }
    return miners;
  }

  private AccountKeys openOrCreateWallet(char[] passphrase) throws IOException {
    Path wallet = home.wallet();
    if (!Files.exists(wallet)) {
      Wallet.create(
          wallet,
          AccountKeys.generate(new SecureRandom()),
          passphrase,
          WalletParams.DEFAULT,
          new SecureRandom());
    }
    return Wallet.open(wallet, passphrase);
  }

  /** First start: faucet tokens, space, the first bucket. Returns the bucket to point at. */
  private String prepareAccount(
      AccountKeys keys, LedgerClient ledger, StorageClient client, PrintWriter out) {
    AccountInfo account = ledger.account(keys.id());
    if (account.space().purchasedBytes() == 0) {
      client.transactions().submitAndWait(new Call.Faucet());
      long balance = ledger.account(keys.id()).balance();
      client.transactions().submitAndWait(new Call.BuySpace(spaceGib, 30));
      AccountInfo after = ledger.account(keys.id());
      out.println(
          "deoss up: claimed "
              + FaucetCommand.tokens(balance - account.balance())
              + " faucet tokens and bought "
              + spaceGib
              + " GiB for 30 days (until "
              + Instant.ofEpochMilli(after.space().deadlineMillis())
              + "); balance "
              + FaucetCommand.tokens(after.balance())
              + " tokens");
    }
    List<BucketInfo> buckets = ledger.buckets(keys.id());
    if (buckets.isEmpty()) {
      client.transactions().submitAndWait(new Call.CreateBucket(keys.id(), firstBucket));
      out.println("deoss up: created the bucket " + firstBucket);
      return firstBucket;
    }
    return buckets.stream()
        .map(BucketInfo::name)
        .filter(firstBucket::equals)
        .findFirst()
        .orElse(buckets.get(0).name());
  }

  private DeossMount mount(
      Path dir, Path mp, AccountKeys keys, LedgerClient ledger, StorageClient client)
      throws IOException {
    com.sun.security.auth.module.UnixSystem me = new com.sun.security.auth.module.UnixSystem();
    MountOptions options =
        MountOptions.defaults(
            mp, CacheConfig.defaults(dir.resolve("cache")), (int) me.getUid(), (int) me.getGid());
    ObjectStore store =
        new ObjectStore(
            ledger,
            client.transactions(),
            keys.id(),
            client.encryption(),
            client.writer(),
            new SecureRandom());
    return DeossMount.mount(options, store, client.reader());
  }

  private void printReady(
      PrintWriter out,
      Path dir,
      Path mp,
      LocalNetwork net,
      GatewayServer gateway,
      AccountKeys keys,
      LedgerClient ledger,
      String bucket,
      Path log) {
    List<String> endpoints = net.minerEndpoints();
    AccountInfo account = ledger.account(keys.id());
    out.println();
    out.println("  account   " + keys.id() + "  (wallet " + home.wallet() + ")");
    out.println(
        "  node      "
            + net.nodeUrl()
            + "  (ledger "
            + net.networkId()
            + ", data in "
            + dir.resolve("node")
            + ")");
    out.println(
        "  miners    "
            + endpoints.size()
            + " on "
            + endpoints.get(0)
            + (endpoints.size() > 1 ? " .. " + endpoints.get(endpoints.size() - 1) : "")
            + "  (data in "
            + dir.resolve("miners")
            + ")");
    out.println(
        "  space     "
            + Sizes.format(account.space().purchasedBytes())
            + " bought, "
            + Sizes.format(account.space().usedBytes())
            + " used, until "
            + Instant.ofEpochMilli(account.space().deadlineMillis()));
    out.println(
        "  gateway   "
            + gateway.uri()
            + "  (HTTP, DeOSS routes; its account "
            + gateway.account()
            + " acts for yours)");
    out.println(
        "  repair    rebuilds fragments of miners that fail or leave (at most "
            + Sizes.format(RepairDaemon.Config.defaults().bytesPerSecond())
            + "/s; a segment whose miners went offline when "
            + RepairDaemon.Config.defaults().threshold()
            + " or fewer fragments are left)");
    out.println("  mount     " + mp + "  (bucket " + bucket + " is " + mp.resolve(bucket) + ")");
    out.println("  logs      " + log);
    out.println();
    out.println(
        "In another terminal: deoss status | deoss bucket ls | deoss --help"
            + (homeGiven ? "  (with --home " + dir + " or DEOSS_HOME=" + dir + ")" : ""));
    out.println(
        "Stop: Ctrl-C here, or kill "
            + ProcessHandle.current().pid()
            + ", or deoss umount "
            + mp
            + " (pending uploads finish first).");
    out.println(READY + ": your buckets are in " + mp);
    out.flush();
  }

  /**
   * Blocks until SIGINT/SIGTERM or an unmount by someone else, then uploads what is pending and
   * unmounts; the caller stops the rest. Our own handlers replace the JVM's, which would exit
   * before the uploads drained.
   */
  private void awaitStop(DeossMount mount, PrintWriter out) throws InterruptedException {
    MountCommand.runUntilUnmounted(
        mount, out, Duration.ofSeconds(drainSeconds), () -> mountStopped = true);
  }

  private void stopAll() {
    boolean any = !started.isEmpty();
    while (!started.isEmpty()) {
      AutoCloseable c = started.pop();
      try {
        c.close();
      } catch (Exception e) {
        log().warn("stopping {} failed", c, e);
      }
    }
    if (any) {
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "deoss up: stopped; everything is kept in " + home.home() + " for the next start");
      out.flush();
    }
  }

  private static Logger log() {
    return LoggerFactory.getLogger(UpCommand.class);
  }
}
