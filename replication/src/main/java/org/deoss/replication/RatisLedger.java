package org.deoss.replication;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.AccountInfo;
import org.deoss.core.ledger.Block;
import org.deoss.core.ledger.BlockHeader;
import org.deoss.core.ledger.BucketInfo;
import org.deoss.core.ledger.ChainHead;
import org.deoss.core.ledger.Challenge;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.MinerInfo;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.RepairOrder;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.LedgerUnavailableException;
import org.deoss.transfer.node.ReceiptLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger replicated over a Raft group of 3 or 5 nodes (Apache Ratis, gRPC transport): one
 * replica of it, with this process's Raft server, and the {@link LedgerClient} port for the process
 * (served over HTTP by {@code LedgerNodeServer} like the embedded ledger).
 *
 * <p><b>Writes.</b> {@link #submit} verifies the signature, queues the transaction; one sender
 * thread takes everything queued (up to {@link Options#maxBatch()}) as one request to the leader (a
 * follower's request goes to the leader through Ratis's client, which follows leadership changes),
 * with up to {@link Options#maxInFlight()} requests in flight, in order. The leader stamps its time
 * and the request becomes one log entry, that is one block, applied by every replica once a
 * majority has it on disk (Raft log fsynced before it counts). The future completes when this
 * replica has applied the block too, so a query here then sees the transaction.
 *
 * <p><b>Queries</b> read this replica's state: what it has applied, possibly behind the leader.
 *
 * <p><b>Failure.</b> When no leader answers within {@link Options#requestTimeoutMillis()}, the
 * submission fails with {@link LedgerUnavailableException}: the transaction may or may not be in;
 * the node's caller asks again by hash ({@link #receipt}) or reads the nonce.
 *
 * <p><b>Time.</b> The leader makes an empty block when none was made for {@link
 * Options#emptyBlockAfterMillis()}, so time-driven hooks run on an idle ledger.
 */
public final class RatisLedger implements LedgerClient, ReceiptLookup {
  private static final Logger LOG = LoggerFactory.getLogger(RatisLedger.class);
  private static final long LEADERLESS_LIMIT_MILLIS = 3_000;

  /**
   * Settings.
   *
   * @param maxBatch most transactions in one request (one block)
   * @param maxInFlight requests this node has in flight at once
   * @param snapshotEveryEntries log entries between snapshots (older entries are then purged)
   * @param clockMillis block time source (used while this node leads)
   * @param emptyBlockAfterMillis the leader makes an empty block after this long without one; 0
   *     never
   * @param requestTimeoutMillis how long a request may look for a leader before it fails
   * @param electionTimeoutMillis Raft's minimum election timeout (the maximum is twice it)
   * @param rememberedReceipts receipts kept by hash for lookups and replays
   */
  public record Options(
      int maxBatch,
      int maxInFlight,
      long snapshotEveryEntries,
      LongSupplier clockMillis,
      long emptyBlockAfterMillis,
      long requestTimeoutMillis,
      long electionTimeoutMillis,
      int rememberedReceipts) {
    public Options {
      if (maxBatch < 1 || maxBatch > Block.MAX_TXS) {
        throw new IllegalArgumentException(
            "maxBatch must be 1.." + Block.MAX_TXS + ", got " + maxBatch);
      }
      positive("maxInFlight", maxInFlight);
      positive("snapshotEveryEntries", snapshotEveryEntries);
      Objects.requireNonNull(clockMillis, "clockMillis");
      if (emptyBlockAfterMillis < 0) {
        throw new IllegalArgumentException(
            "emptyBlockAfterMillis must not be negative, got " + emptyBlockAfterMillis);
      }
      positive("requestTimeoutMillis", requestTimeoutMillis);
      positive("electionTimeoutMillis", electionTimeoutMillis);
      positive("rememberedReceipts", rememberedReceipts);
    }

    private static void positive(String name, long v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " must be positive, got " + v);
      }
    }

    /**
     * 1024 transactions per block, 4 requests in flight, a snapshot every 10,000 entries, the
     * system clock, an empty block after 6 s, requests given up after 20 s, elections after 0.5-1 s
     * of silence, 100,000 receipts remembered.
     */
    public static Options defaults() {
      return new Options(1024, 4, 10_000, System::currentTimeMillis, 6_000, 20_000, 500, 100_000);
    }

    public Options withSnapshotEveryEntries(long n) {
      return new Options(
          maxBatch,
          maxInFlight,
          n,
          clockMillis,
          emptyBlockAfterMillis,
          requestTimeoutMillis,
          electionTimeoutMillis,
          rememberedReceipts);
    }

    public Options withEmptyBlockAfterMillis(long millis) {
      return new Options(
          maxBatch,
          maxInFlight,
          snapshotEveryEntries,
          clockMillis,
          millis,
          requestTimeoutMillis,
          electionTimeoutMillis,
          rememberedReceipts);
    }
  }

  /**
   * Where and how one replica runs.
   *
   * @param self this node's id, one of {@code peers}
   * @param peers the group when it is formed (on a restart the configuration in the Raft log wins)
   * @param dir the replica's folder (Raft log and snapshots under {@code dir/ratis})
   */
  public record Config(String self, List<Peer> peers, Path dir, Genesis genesis, Options options) {
    public Config {
      Objects.requireNonNull(self, "self");
      peers = List.copyOf(peers);
      Objects.requireNonNull(dir, "dir");
      Objects.requireNonNull(genesis, "genesis");
      Objects.requireNonNull(options, "options");
      if (peers.stream().noneMatch(p -> p.id().equals(self))) {
        throw new IllegalArgumentException("--id " + self + " is not one of the peers " + peers);
      }
    }

    Peer selfPeer() {
      return peers.stream().filter(p -> p.id().equals(self)).findFirst().orElseThrow();
    }
  }

  private final Config config;
  private final String networkId;
  private final LedgerStateMachine machine;
  private final RaftServer server;
  private final RaftGroup group;
  private final RaftClient client;
  private final BlockSender sender;
  private final ScheduledExecutorService ticker;
  private final AtomicBoolean tickPending = new AtomicBoolean();
  private volatile long leaderSeenNanos = System.nanoTime();
  private volatile boolean closed;

  private RatisLedger(Config config, LedgerStateMachine machine, RaftServer server, RaftGroup g) {
    this.config = config;
    this.networkId = config.genesis().networkId();
    this.machine = machine;
    this.server = server;
    this.group = g;
    Options o = config.options();
    this.client =
        RatisGroup.client(g, TimeDuration.valueOf(o.requestTimeoutMillis(), TimeUnit.MILLISECONDS));
    this.sender = new BlockSender(client, machine::awaitHeight, o.maxBatch(), o.maxInFlight());
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "deoss-ratis-ticker");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts this replica: formats its Raft storage on the first start, recovers it (latest snapshot,
   * then the log after it) on later ones, joins the group.
   *
   * @throws IOException if the storage cannot be used or the Raft port cannot be bound
   */
  public static RatisLedger start(Config config) throws IOException {
    Options o = config.options();
    Path ratisDir = config.dir().resolve("ratis");
    Files.createDirectories(ratisDir);
    RaftGroup group = RatisGroup.group(config.genesis().networkId(), config.peers());
    boolean formed = Files.isDirectory(ratisDir.resolve(group.getGroupId().getUuid().toString()));
    RaftProperties props = serverProperties(config, ratisDir);
    LedgerStateMachine machine =
        new LedgerStateMachine(config.genesis(), o.clockMillis(), o.rememberedReceipts());
    RaftServer server =
        RaftServer.newBuilder()
            .setServerId(RatisGroup.peerId(config.self()))
            .setGroup(group)
            .setStateMachine(machine)
            .setProperties(props)
            .setOption(
                formed ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
            .build();
    server.start();
    RatisLedger ledger = new RatisLedger(config, machine, server, group);
    ledger.sender.start();
    if (o.emptyBlockAfterMillis() > 0) {
      long period = Math.max(10, Math.min(1000, o.emptyBlockAfterMillis() / 4));
      ledger.ticker.scheduleWithFixedDelay(
          ledger::tickIfIdle, period, period, TimeUnit.MILLISECONDS);
    }
    ledger.ticker.scheduleWithFixedDelay(ledger::watchLeader, 100, 100, TimeUnit.MILLISECONDS);
    LOG.info(
        "ledger replica {} of '{}' started ({}; group {}, peers {})",
        config.self(),
        config.genesis().networkId(),
        formed ? "recovered" : "formatted",
        group.getGroupId(),
        config.peers());
    return ledger;
  }

  private static RaftProperties serverProperties(Config config, Path ratisDir) {
    Options o = config.options();
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    Peer self = config.selfPeer();
    GrpcConfigKeys.Server.setHost(p, self.host());
    GrpcConfigKeys.Server.setPort(p, self.port());
    RaftServerConfigKeys.setStorageDir(p, List.of(ratisDir.toFile()));
    TimeDuration min = TimeDuration.valueOf(o.electionTimeoutMillis(), TimeUnit.MILLISECONDS);
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, min);
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, min.multiply(2));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, o.snapshotEveryEntries());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    // Send appends (and the commit index followers apply up to) without waiting to batch more.
    RaftServerConfigKeys.Log.Appender.setWaitTimeMin(p, TimeDuration.ZERO);
    // A follower that was unreachable is retried every 500 ms (Ratis's default backs off to 5 s),
    // so it catches up soon after it is back.
    RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, "1ms,10, 500ms,2147483647");
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("32MB"));
    // A request is at most BlockSender.MAX_REQUEST_BYTES (one transaction is at most 8 MiB); one
    // log entry of
    // that size must fit an append, a gRPC message and the log's write buffer.
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf("17MB"));
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf("18MB"));
    RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf("18MB"));
    return p;
  }

  @Override
  public CompletableFuture<Receipt> submit(SignedTransaction tx) {
    Objects.requireNonNull(tx, "tx");
    if (closed) {
      return CompletableFuture.failedFuture(new LedgerUnavailableException("ledger is closed"));
    }
    if (isLeaderless()) {
      return CompletableFuture.failedFuture(
          new LedgerUnavailableException(
              "replica "
                  + config.self()
                  + " has known no leader for over "
                  + Math.max(LEADERLESS_LIMIT_MILLIS, 6 * config.options().electionTimeoutMillis())
                  + " ms (cut off from its group?)"));
    }
    if (!tx.verify(networkId)) {
      return CompletableFuture.failedFuture(LedgerRejection.badSignature(tx, networkId));
    }
    return sender.submit(tx);
  }

  /** Makes a block now even without transactions; completes with the new height once applied. */
  public CompletableFuture<Long> tick() {
    return sender.tick();
  }

  /** Notes when this replica last knew a leader (itself or another). */
  private void watchLeader() {
    if (leaderId().isPresent()) {
      leaderSeenNanos = System.nanoTime();
    }
  }

  /**
   * Whether this replica has known no leader for longer than {@link #LEADERLESS_LIMIT_MILLIS} (cut
   * off from its group, or the group lost its majority): submissions then fail at once, so that
   * clients move to another node instead of waiting for the request timeout.
   */
  public boolean isLeaderless() {
    return System.nanoTime() - leaderSeenNanos
        > TimeUnit.MILLISECONDS.toNanos(
            Math.max(LEADERLESS_LIMIT_MILLIS, 6 * config.options().electionTimeoutMillis()));
  }

  private void tickIfIdle() {
    try {
      if (closed || !server.getDivision(group.getGroupId()).getInfo().isLeader()) {
        return;
      }
      long idle = config.options().clockMillis().getAsLong() - head().timeMillis();
      if (idle >= config.options().emptyBlockAfterMillis()
          && tickPending.compareAndSet(false, true)) {
        tick().whenComplete((h, e) -> tickPending.set(false));
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("empty-block tick skipped: {}", e.toString());
    }
  }

  /** The receipt of a transaction applied recently by the group, whichever node took it. */
  @Override
  public Optional<Receipt> receipt(Hash256 txHash) {
    return machine.receipt(txHash);
  }

  /** Whether this replica leads the group now. */
  public boolean isLeader() {
    try {
      return server.getDivision(group.getGroupId()).getInfo().isLeader();
    } catch (IOException e) {
      return false;
    }
  }

  /** The id of the leader this replica knows, if any. */
  public Optional<String> leaderId() {
    try {
      var id = server.getDivision(group.getGroupId()).getInfo().getLeaderId();
      return Optional.ofNullable(id).map(Object::toString);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** This replica's id. */
  public String self() {
    return config.self();
  }

  /** Writes a snapshot of the state now (also done every {@code snapshotEveryEntries}). */
  public long takeSnapshot() throws IOException {
    return machine.takeSnapshot();
  }

  /** The canonical bytes of this replica's state (comparing replicas). */
  byte[] stateSnapshotForTest() {
    return machine.view().snapshot();
  }

  @Override
  public String networkId() {
    return networkId;
  }

  @Override
  public long nextNonce(AccountId account) {
    return machine.view().nextNonce(account);
  }

  @Override
  public AccountInfo account(AccountId account) {
    return machine.view().account(account);
  }

  @Override
  public List<AccountId> authorizations(AccountId owner) {
    return machine.view().authorizations(owner);
  }

  @Override
  public List<BucketInfo> buckets(AccountId owner) {
    return machine.view().buckets(owner);
  }

  @Override
  public Optional<BucketInfo> bucket(AccountId owner, String name) {
    return machine.view().bucket(owner, name);
  }

  @Override
  public Optional<ObjectRecord> object(AccountId owner, String bucket, String key) {
    return machine.view().object(owner, bucket, key);
  }

  @Override
  public Optional<byte[]> encryptionKey(AccountId account) {
    return machine.view().encryptionKey(account);
  }

  @Override
  public Optional<ObjectRecord> objectById(org.deoss.core.manifest.ObjectId id) {
    return machine.view().objectById(id);
  }

  @Override
  public ListPage sharedWith(AccountId grantee, String startAfter, int limit) {
    return machine.view().sharedWith(grantee, startAfter, limit);
  }

  @Override
  public ListPage list(
      AccountId owner,
      String bucket,
      String prefix,
      String delimiter,
      String startAfter,
      int limit) {
    return machine.view().list(owner, bucket, prefix, delimiter, startAfter, limit);
  }

  @Override
  public boolean isReferenced(Hash256 fragment) {
    return machine.view().isReferenced(fragment);
  }

  @Override
  public List<MinerInfo> miners() {
    return machine.view().miners();
  }

  @Override
  public Optional<MinerInfo> miner(AccountId miner) {
    return machine.view().miner(miner);
  }

  @Override
  public List<Challenge> challenges() {
    return machine.view().challenges();
  }

  @Override
  public List<RepairOrder> repairOrders(long afterId, int limit) {
    return machine.view().repairOrders(afterId, limit);
  }

  @Override
  public ChainHead head() {
    return machine.view().head();
  }

  @Override
  public Optional<BlockHeader> block(long height) {
    return machine.view().block(height);
  }

  /**
   * Stops taking transactions, waits briefly for those queued, closes the client and the Raft
   * server. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ticker.shutdownNow();
    sender.close(config.options().requestTimeoutMillis());
    try {
      client.close();
    } catch (IOException e) {
      LOG.warn("closing the Raft client failed: {}", e.toString());
    }
    try {
      server.close();
    } catch (IOException e) {
      LOG.warn("closing the Raft server failed: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "RatisLedger(" + networkId + ", " + config.self() + ", " + config.peers() + ")";
  }
}
