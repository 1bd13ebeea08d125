package org.deoss.transfer.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.deoss.core.access.AccessPolicy;
import org.deoss.core.access.KeyDirectory;
import org.deoss.core.access.ObjectKeys;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.EncryptionKeys;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.crypto.X25519KeyPair;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.BlockHeader;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.ledger.PutCondition;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.pipeline.ObjectReader;
import org.deoss.core.pipeline.ObjectWriter;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.pipeline.ProgressListener;
import org.deoss.core.pipeline.WriteResult;
import org.deoss.core.placement.Placement;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.TxBuilder;

/**
 * An account's view of the network: puts and gets whole objects through the pipeline, the miners'
 * fragment protocol and the ledger. Who may read each version follows {@link AccessPolicy}: a new
 * object is private (wrapped for the owner and its authorized operators), a new version keeps the
 * readers of the one it replaces under a new data key, and {@link #share} changes the readers of
 * the current version. Thread-safe.
 */
public final class StorageClient implements AutoCloseable {
  private final AccountKeys keys;
  private final X25519KeyPair encryption;
  private final LedgerClient ledger;
  private final TxBuilder tx;
  private final EventLoopGroup group;
  private final MinerPool pool;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService cpu;
  private final ObjectWriter writer;
  private final ObjectReader reader;
  private final SecureRandom random = new SecureRandom();
  private final AccessPolicy policy;
  private final CachedKeyDirectory directory;

  /**
   * How long the operators of the account and others' encryption keys are trusted without asking
   * the ledger again (see {@link CachedKeyDirectory}).
   */
  static final Duration DIRECTORY_TTL = Duration.ofSeconds(1);

  /** A client for {@code keys}'s account over {@code ledger}; it owns neither. */
  public StorageClient(AccountKeys keys, LedgerClient ledger, PipelineConfig config) {
    this.keys = keys;
    this.encryption = EncryptionKeys.derive(keys);
    this.ledger = ledger;
    this.tx = new TxBuilder(ledger, keys);
    this.directory =
        new CachedKeyDirectory(KeyDirectory.of(ledger), DIRECTORY_TTL.toNanos(), System::nanoTime);
    this.policy = new AccessPolicy(keys.id(), encryption.publicKey(), directory, random);
    this.group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    this.pool = new MinerPool(group, keys, ClientOptions.defaults(), random, System::nanoTime);
    NetworkMinerDirectory miners =
        new NetworkMinerDirectory(
            new LedgerMinerRegistry(ledger, Duration.ofSeconds(2).toNanos(), System::nanoTime),
            pool);
    this.scheduler = Executors.newSingleThreadScheduledExecutor();
    this.cpu = Executors.newFixedThreadPool(2);
    this.writer =
        new ObjectWriter(
            config,
            miners,
            Placement.create(config.dataShards(), config.parityShards(), new SplittableRandom()),
            random);
    this.reader = new ObjectReader(miners, scheduler, config.hedgeDelay(), cpu);
  }

  public TxBuilder transactions() {
    return tx;
  }

  /** The pipeline writer over this client's miner pool (for the write-back cache of a mount). */
  public ObjectWriter writer() {
    return writer;
  }

  /** The pipeline reader over this client's miner pool. */
  public ObjectReader reader() {
    return reader;
  }

  /** Who may read this account's objects: the policy every new version follows. */
  public AccessPolicy policy() {
    return policy;
  }

  /** The ledger this client reads and writes. */
  public LedgerClient ledger() {
    return ledger;
  }

  /** The account's X25519 key pair, which opens and wraps data keys. */
  public X25519KeyPair encryption() {
    return encryption;
  }

  /** Claims faucet tokens and buys space when the account has none; creates the bucket if new. */
  public void prepare(String bucket, long gib, long days) {
    if (ledger.account(keys.id()).space().purchasedBytes() == 0) {
      tx.submitAndWait(new Call.Faucet());
      tx.submitAndWait(new Call.BuySpace(gib, days));
    }
    if (ledger.bucket(keys.id(), bucket).isEmpty()) {
      tx.submitAndWait(new Call.CreateBucket(keys.id(), bucket));
    }
  }

  /**
   * Stores {@code in} as {@code bucket/key} and commits it: a new object is private; a new version
   * of an existing one keeps its readers (see {@link AccessPolicy#newVersion}) under a new data
   * key, and commits only if no other version was written meanwhile.
   *
   * @throws IOException when the data cannot be stored on enough miners
   * @throws LedgerRejection when the ledger refuses the object (no space, no bucket, a version
   *     written meanwhile, ...)
   * @throws org.deoss.core.access.MissingKeyException when a reader of the previous version has no
   *     announced key
   */
  public ObjectRecord put(String bucket, String key, InputStream in, ProgressListener progress)
      throws IOException {
    // The lookup of the previous version also refuses a missing bucket (NO_SUCH_BUCKET).
    ObjectRecord previous = ledger.object(keys.id(), bucket, key).orElse(null);
    ObjectId id = ObjectId.random(random);
    DataKey dataKey = DataKey.generate(random);
    WriteResult written = writer.write(id, dataKey, in, progress);
    Access access = policy.newVersion(previous == null ? null : previous.access(), dataKey, id);
    long now = System.currentTimeMillis() * 1_000_000L;
    PosixAttributes attributes = PosixAttributes.file(0644, now);
    Receipt receipt =
        tx.submitAndWait(
            new Call.PutObject(
                keys.id(),
                bucket,
                key,
                written.manifest(),
                attributes,
                access,
                previous == null
                    ? PutCondition.ifAbsent()
                    : PutCondition.ifVersion(previous.version())));
    // The ledger made the record from this call, the receipt's version and the block's time (the
    // condition held, so the previous version's creation time carried over): no need to read it.
    Optional<BlockHeader> block = blockOf(receipt);
    if (block.isPresent()) {
      long time = block.get().timeMillis();
      return new ObjectRecord(
          keys.id(),
          bucket,
          key,
          receipt.objectVersion(),
          written.manifest(),
          attributes,
          access,
          previous == null ? time : previous.createdMillis(),
          time);
    }
    return ledger
        .object(keys.id(), bucket, key)
        .orElseThrow(() -> new IllegalStateException(bucket + "/" + key + " vanished after put"));
  }

  /**
   * The header of the block that holds {@code receipt} (a remote ledger has it from the answer that
   * brought the receipt); empty when the ledger no longer keeps it or its hash is not the
   * receipt's.
   */
  private Optional<BlockHeader> blockOf(Receipt receipt) {
    return ledger.block(receipt.blockHeight()).filter(h -> h.hash().equals(receipt.blockHash()));
  }

  /**
   * Writes the object's bytes to {@code out}.
   *
   * @throws IOException when too few fragments can be read, or authentication fails
   * @throws java.util.NoSuchElementException when there is no such object
   */
  public ObjectRecord get(String bucket, String key, OutputStream out, ProgressListener progress)
      throws IOException {
    return get(keys.id(), bucket, key, out, progress);
  }

  /**
   * Writes the bytes of {@code owner}'s object to {@code out}: one of this account's, one shared
   * with it, or a public one.
   *
   * @throws IOException when too few fragments can be read, or authentication fails
   * @throws java.util.NoSuchElementException when there is no such object
   * @throws org.deoss.core.access.NotAReaderException when this account may not read it
   */
  public ObjectRecord get(
      org.deoss.core.account.AccountId owner,
      String bucket,
      String key,
      OutputStream out,
      ProgressListener progress)
      throws IOException {
    ObjectRecord record =
        ledger
            .object(owner, bucket, key)
            .orElseThrow(
                () ->
                    new java.util.NoSuchElementException(
                        "no object "
                            + bucket
                            + "/"
                            + key
                            + (owner.equals(keys.id()) ? "" : " of " + owner)));
    DataKey dataKey =
        ObjectKeys.open(record.access(), record.manifest().objectId(), keys.id(), encryption);
    reader.readAll(record.manifest(), dataKey, out, progress);
    return record;
  }

  /**
   * Changes who may read the current version of {@code bucket/key} and commits the change; a change
   * that narrows the readers marks the data key retired, so the next version gets a new one ({@link
   * AccessPolicy#change}). Nothing is submitted when the grants do not change.
   *
   * @param change the new grants from the current ones
   * @return the object after the change
   * @throws java.util.NoSuchElementException when there is no such object
   * @throws org.deoss.core.access.MissingKeyException when a grantee has no announced key
   */
  public ObjectRecord share(
      String bucket, String key, java.util.function.UnaryOperator<AccessPolicy.Grants> change) {
    ObjectRecord record =
        ledger
            .object(keys.id(), bucket, key)
            .orElseThrow(
                () -> new java.util.NoSuchElementException("no object " + bucket + "/" + key));
    AccessPolicy.Grants now = policy.grantsOf(record.access());
    AccessPolicy.Grants next = change.apply(now);
    if (next.equals(now)) {
      return record;
    }
    ObjectId id = record.manifest().objectId();
    DataKey dataKey = ObjectKeys.open(record.access(), id, keys.id(), encryption);
    Access access = policy.change(record.access(), next, dataKey, id);
    tx.submitAndWait(new Call.SetAccess(keys.id(), bucket, key, access));
    return ledger
        .object(keys.id(), bucket, key)
        .orElseThrow(() -> new IllegalStateException(bucket + "/" + key + " vanished"));
  }

  @Override
  public void close() {
    pool.close();
    scheduler.shutdownNow();
    cpu.shutdownNow();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }
}
