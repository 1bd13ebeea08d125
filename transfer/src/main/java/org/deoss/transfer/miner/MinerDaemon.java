package org.deoss.transfer.miner;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.MinerInfo;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.TxBuilder;
import org.deoss.transfer.miner.server.Admission;
import org.deoss.transfer.miner.server.DeletionPolicy;
import org.deoss.transfer.miner.server.MinerServer;
import org.deoss.transfer.miner.server.MinerServerOptions;
import org.deoss.transfer.miner.store.CollectReport;
import org.deoss.transfer.miner.store.DiskFragmentStore;
import org.deoss.transfer.miner.store.DiskStoreConfig;
import org.deoss.transfer.miner.store.StartupCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A storage miner: its disk store served by the fragment protocol, registered on the ledger, with
 * periodic heartbeats and collection of fragments no object references any more.
 *
 * <ul>
 *   <li>Start: open (rescan, optionally verify) the data folder, start the server, then register
 *       the account as a miner with its endpoint, capacity, stake and zone (claiming faucet tokens
 *       first if the balance cannot pay the stake), or update the endpoint if it moved.
 *   <li>Admission: any account the ledger knows (fragments are ciphertext; the server logs who
 *       wrote what). Deletion: only fragments the ledger no longer references.
 *   <li>Every {@code heartbeat}: a Heartbeat transaction with the bytes used. Every {@code
 *       collectEvery}: delete fragments unreferenced for longer than {@code collectGrace}. Every
 *       {@code proveEvery}: answer the open audit challenges addressed to this miner ({@link
 *       ChallengeProver}).
 * </ul>
 */
public final class MinerDaemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MinerDaemon.class);

  /** What a miner needs to run. */
  public record Config(
      Path dataDir,
      long capacityBytes,
      String host,
      int port,
      String zone,
      long stake,
      boolean verifyOnStart,
      Duration heartbeat,
      Duration collectEvery,
      Duration collectGrace,
      Duration proveEvery,
      long packedMaxLength) {
    public Config {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(zone, "zone");
      if (capacityBytes <= 0) {
        throw new IllegalArgumentException("miner capacity must be positive, got " + capacityBytes);
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("miner port must be 0..65535, got " + port);
      }
      if (stake < 0) {
        throw new IllegalArgumentException("miner stake must not be negative, got " + stake);
      }
      positive("heartbeat", heartbeat);
      positive("collectEvery", collectEvery);
      positive("proveEvery", proveEvery);
      Objects.requireNonNull(collectGrace, "collectGrace");
      if (packedMaxLength < 0 || packedMaxLength > MAX_PACKED) {
        throw new IllegalArgumentException(
            "miner packedMaxLength must be 0.." + MAX_PACKED + ", got " + packedMaxLength);
      }
    }

    /** The largest fragment size that may be packed (a quarter of a pack). */
    public static final long MAX_PACKED = 16L << 20;

    /**
     * The same with fragments of at most {@code bytes} packed into the store's pack log ({@code 0}:
     * every fragment its own file); see {@link DiskStoreConfig#packedMaxLength()}.
     */
    public Config withPackedMaxLength(long bytes) {
      return new Config(
          dataDir,
          capacityBytes,
          host,
          port,
          zone,
          stake,
          verifyOnStart,
          heartbeat,
          collectEvery,
          collectGrace,
          proveEvery,
          bytes);
    }

    private static void positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("miner " + name + " must be positive, got " + d);
      }
    }

    /** The same with a start-up check that re-roots every fragment. */
    public Config withVerifyOnStart(boolean v) {
      return new Config(
          dataDir,
          capacityBytes,
          host,
          port,
          zone,
          stake,
          v,
          heartbeat,
          collectEvery,
          collectGrace,
          proveEvery,
          packedMaxLength);
    }

    /** The same with heartbeats every {@code d}. */
    public Config withHeartbeat(Duration d) {
      return new Config(
          dataDir,
          capacityBytes,
          host,
          port,
          zone,
          stake,
          verifyOnStart,
          d,
          collectEvery,
          collectGrace,
          proveEvery,
          packedMaxLength);
    }

    /** The same with the ledger polled for challenges every {@code d}. */
    public Config withProveEvery(Duration d) {
      return new Config(
          dataDir,
          capacityBytes,
          host,
          port,
          zone,
          stake,
          verifyOnStart,
          heartbeat,
          collectEvery,
          collectGrace,
          d,
          packedMaxLength);
    }

    /** The same with collection every {@code every} of fragments unreferenced for {@code grace}. */
    public Config withCollection(Duration every, Duration grace) {
      return new Config(
          dataDir,
          capacityBytes,
          host,
          port,
          zone,
          stake,
          verifyOnStart,
          heartbeat,
          every,
          grace,
          proveEvery,
          packedMaxLength);
    }

    /**
     * Defaults: heartbeat every 30 s, collection hourly with a day of grace, challenges looked for
     * every 5 s, fragments up to 1 MiB packed.
     */
    public static Config of(Path dataDir, long capacityBytes, String host, int port, String zone) {
      long tib = (capacityBytes + (1L << 40) - 1) >> 40;
      return new Config(
          dataDir,
          capacityBytes,
          host,
          port,
          zone,
          tib * 10 * Genesis.TOKEN,
          false,
          Duration.ofSeconds(30),
          Duration.ofHours(1),
          Duration.ofDays(1),
          Duration.ofSeconds(5),
          DiskStoreConfig.DEFAULT_PACKED_MAX_LENGTH);
    }
  }

  private final AccountKeys keys;
  private final LedgerClient ledger;
  private final Config config;
  private static final int STORE_THREADS = 8;

  private final DiskFragmentStore store;
  private final ExecutorService storeExecutor;
  private final ScheduledExecutorService timers;
  private final MinerServer server;
  private final TxBuilder tx;
  private final ChallengeProver prover;
  private final Map<AccountId, Boolean> known = new ConcurrentHashMap<>();
  private InetSocketAddress address;
  private volatile boolean gone;

  private MinerDaemon(AccountKeys keys, LedgerClient ledger, Config config) throws IOException {
    this.keys = keys;
    this.ledger = ledger;
    this.config = config;
    this.store =
        DiskFragmentStore.open(
            DiskStoreConfig.of(config.dataDir(), config.capacityBytes())
                .withStartupCheck(config.verifyOnStart() ? StartupCheck.VERIFY : StartupCheck.SCAN)
                .withPackedMaxLength(config.packedMaxLength()));
    // Store threads mostly wait for fsync; more of them let more puts flush at once, and the file
    // system merges concurrent journal commits (see DiskFragmentStore, "Flushes").
    this.storeExecutor = Executors.newFixedThreadPool(STORE_THREADS, threads("miner-store"));
    this.timers = Executors.newSingleThreadScheduledExecutor(threads("miner-timer"));
    this.tx = new TxBuilder(ledger, keys);
    this.prover = new ChallengeProver(keys.id(), ledger, tx, store);
    Admission admission = this::known;
    DeletionPolicy deletion = fragment -> !ledger.isReferenced(fragment);
    this.server =
        new MinerServer(
            keys,
            store,
            admission,
            deletion,
            storeExecutor,
            MinerServerOptions.defaults(config.host(), config.port()),
            new SecureRandom());
  }

  /**
   * Starts a miner and registers it; returns once it serves and is registered.
   *
   * @throws IOException when the data folder cannot be opened or the port bound
   * @throws LedgerRejection when the ledger refuses the registration (the message says why)
   */
  public static MinerDaemon start(AccountKeys keys, LedgerClient ledger, Config config)
      throws IOException {
    MinerDaemon d = new MinerDaemon(keys, ledger, config);
    try {
      d.address = d.server.start();
      d.register();
      long beat = d.config.heartbeat().toMillis();
      d.timers.scheduleWithFixedDelay(d::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
      long every = d.config.collectEvery().toMillis();
      d.timers.scheduleWithFixedDelay(d::collect, every, every, TimeUnit.MILLISECONDS);
      long prove = d.config.proveEvery().toMillis();
      d.timers.scheduleWithFixedDelay(d::prove, prove, prove, TimeUnit.MILLISECONDS);
      LOG.info(
          "miner {} serving {} fragments ({} bytes) at {}",
          keys.id(),
          d.store.openReport().fragments(),
          d.store.openReport().bytes(),
          d.endpoint());
      return d;
    } catch (RuntimeException e) {
      d.close();
      throw e;
    }
  }

  /** The address the server listens on. */
  public InetSocketAddress address() {
    return address;
  }

  /** The endpoint registered on the ledger, {@code host:port}. */
  public String endpoint() {
    return config.host() + ":" + address.getPort();
  }

  public AccountId id() {
    return keys.id();
  }

  public DiskFragmentStore store() {
    return store;
  }

  private void register() {
    Optional<MinerInfo> current = ledger.miner(keys.id());
    if (current.isPresent()) {
      MinerInfo m = current.get();
      if (!m.endpoint().equals(endpoint())
          || m.capacityBytes() != config.capacityBytes()
          || !m.zone().equals(config.zone())) {
        tx.submitAndWait(
            new Call.UpdateMiner(endpoint(), config.capacityBytes(), 0, config.zone()));
        LOG.info("miner {} updated on the ledger: endpoint {}", keys.id(), endpoint());
      }
      return;
    }
    if (ledger.account(keys.id()).balance() < config.stake()) {
      tx.submitAndWait(new Call.Faucet());
    }
    tx.submitAndWait(
        new Call.RegisterMiner(endpoint(), config.capacityBytes(), config.stake(), config.zone()));
    LOG.info(
        "miner {} registered: {} bytes at {} in zone {}",
        keys.id(),
        config.capacityBytes(),
        endpoint(),
        config.zone());
  }

  private boolean known(AccountId account) {
    if (known.containsKey(account)) {
      return true;
    }
    var info = ledger.account(account);
    boolean exists = info.nonce() > 0 || info.balance() > 0;
    if (exists) {
      known.put(account, Boolean.TRUE);
    } else {
      LOG.warn("refused a connection from {}: the ledger does not know that account", account);
    }
    return exists;
  }

  private void heartbeat() {
    try {
      long used = store.stats().join().usedBytes();
      tx.submit(new Call.Heartbeat(used))
          .whenComplete(
              (r, e) -> {
                if (e == null) {
                  return;
                }
                tx.resync();
                Throwable c =
                    e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                if (c instanceof LedgerRejection lr
                    && lr.reason() == LedgerRejection.Reason.NO_SUCH_MINER) {
                  if (!gone) {
                    gone = true;
                    LOG.info(
                        "miner {} is no longer registered (it exited); it still serves reads",
                        keys.id());
                  }
                } else {
                  LOG.warn("heartbeat of miner {} failed: {}", keys.id(), e.toString());
                }
              });
    } catch (RuntimeException e) {
      LOG.warn("heartbeat of miner {} failed: {}", keys.id(), e.toString());
    }
  }

  private void prove() {
    try {
      prover.poll();
    } catch (RuntimeException e) {
      LOG.warn("answering challenges on miner {} failed: {}", keys.id(), e.toString());
    }
  }

  /**
   * Starts leaving the network ({@link Call.ExitMiner}): the ledger orders every fragment held here
   * repaired elsewhere and returns the stake once none is left. The miner keeps serving reads (the
   * repairers copy from it) until then.
   */
  public void exit() {
    tx.submitAndWait(new Call.ExitMiner());
    LOG.info("miner {} is exiting; its fragments will be moved elsewhere", keys.id());
  }

  private void collect() {
    try {
      CollectReport r =
          store.collect(ledger::isReferenced, config.collectGrace(), Clock.systemUTC().instant());
      LOG.info("miner {} collection: {}", keys.id(), r);
    } catch (RuntimeException e) {
      LOG.warn("collection on miner {} failed: {}", keys.id(), e.toString());
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
    server.close();
    storeExecutor.shutdown();
    try {
      store.close();
    } catch (IOException e) {
      LOG.warn("closing the store of miner {}: {}", keys.id(), e.toString());
    }
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
