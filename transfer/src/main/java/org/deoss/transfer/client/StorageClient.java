package org.deoss.transfer.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.deoss.core.access.ObjectKeys;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.EncryptionKeys;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.crypto.X25519KeyPair;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.ledger.PutCondition;
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
 * fragment protocol and the ledger. Objects are private to the account (their data key is wrapped
 * for the owner only). Thread-safe.
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

  /** A client for {@code keys}'s account over {@code ledger}; it owns neither. */
  public StorageClient(AccountKeys keys, LedgerClient ledger, PipelineConfig config) {
    this.keys = keys;
    this.encryption = EncryptionKeys.derive(keys);
    this.ledger = ledger;
    this.tx = new TxBuilder(ledger, keys);
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
   * Stores {@code in} as {@code bucket/key} (a new version if it exists) and commits it.
   *
   * @throws IOException when the data cannot be stored on enough miners
   * @throws LedgerRejection when the ledger refuses the object (no space, no bucket, ...)
   */
  public ObjectRecord put(String bucket, String key, InputStream in, ProgressListener progress)
      throws IOException {
    ObjectId id = ObjectId.random(random);
    DataKey dataKey = DataKey.generate(random);
    WriteResult written = writer.write(id, dataKey, in, progress);
    Access access =
        ObjectKeys.privateAccess(keys.id(), encryption.publicKey(), dataKey, id, random);
    long now = System.currentTimeMillis() * 1_000_000L;
    tx.submitAndWait(
        new Call.PutObject(
            keys.id(),
            bucket,
            key,
            written.manifest(),
            PosixAttributes.file(0644, now),
            access,
            PutCondition.none()));
    return ledger
        .object(keys.id(), bucket, key)
        .orElseThrow(() -> new IllegalStateException(bucket + "/" + key + " vanished after put"));
  }

  /**
   * Writes the object's bytes to {@code out}.
   *
   * @throws IOException when too few fragments can be read, or authentication fails
   * @throws java.util.NoSuchElementException when there is no such object
   */
  public ObjectRecord get(String bucket, String key, OutputStream out, ProgressListener progress)
      throws IOException {
    ObjectRecord record =
        ledger
            .object(keys.id(), bucket, key)
            .orElseThrow(
                () -> new java.util.NoSuchElementException("no object " + bucket + "/" + key));
    DataKey dataKey =
        ObjectKeys.open(record.access(), record.manifest().objectId(), keys.id(), encryption);
    reader.readAll(record.manifest(), dataKey, out, progress);
    return record;
  }

  @Override
  public void close() {
    pool.close();
    scheduler.shutdownNow();
    cpu.shutdownNow();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }
}
