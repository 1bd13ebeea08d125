package org.deoss.cache;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.deoss.core.access.ObjectKeys;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.EncryptionKeys;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.crypto.X25519KeyPair;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.pipeline.ObjectReader;
import org.deoss.core.pipeline.ObjectWriter;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.pipeline.ProgressListener;
import org.deoss.core.placement.Placement;
import org.deoss.core.port.InMemoryFragmentStore;
import org.deoss.core.port.InMemoryLedger;
import org.deoss.core.port.InMemoryMinerDirectory;
import org.deoss.core.port.TxBuilder;

/**
 * An in-memory ledger with three registered miners (RS 2+1, 1 MiB segments), an account with space
 * and a bucket, and the pipeline over them. Shared by one test; the ledger and miners outlive any
 * number of caches opened over the same directory (a restart).
 */
final class StoreFixture implements AutoCloseable {
  static final int MIB = 1 << 20;
  static final String NET = "cache-test";
  static final String BUCKET = "files";

  final AtomicLong ledgerClock = new AtomicLong(1_700_000_000_000L);
  final AccountKeys alice = keys(1);
  final List<AccountKeys> minerKeys = new ArrayList<>();
  final InMemoryLedger ledger;
  final InMemoryMinerDirectory miners = new InMemoryMinerDirectory();
  final SecureRandom secure = new SecureRandom();
  final ScheduledExecutorService hedger = Executors.newSingleThreadScheduledExecutor();
  final ObjectReader reader;
  final ObjectStore store;
  final X25519KeyPair encryption = EncryptionKeys.derive(alice);
  final Clock wallClock = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);

  StoreFixture() {
    Genesis.Builder b = Genesis.builder(NET).endow(alice.id(), 100_000 * Genesis.TOKEN);
    for (int i = 0; i < 3; i++) {
      AccountKeys m = keys(100 + i);
      minerKeys.add(m);
      b.endow(m.id(), 10_000 * Genesis.TOKEN);
    }
    ledger = new InMemoryLedger(b.build(), ledgerClock::get);
    for (AccountKeys m : minerKeys) {
      submit(m, new Call.RegisterMiner("127.0.0.1:1", 1L << 40, 4000 * Genesis.TOKEN, "z"));
      miners.add(m.id(), "z", new InMemoryFragmentStore(1L << 30));
    }
    submit(alice, new Call.BuySpace(1, 30));
    submit(alice, new Call.CreateBucket(alice.id(), BUCKET));
    PipelineConfig config =
        PipelineConfig.defaults()
            .withSegmentSize(MIB)
            .withCoding(2, 1)
            .withHedgeDelay(Duration.ZERO);
    ObjectWriter writer =
        new ObjectWriter(config, miners, Placement.create(2, 1, new SplittableRandom(5)), secure);
    reader = new ObjectReader(miners, hedger, Duration.ZERO, Runnable::run);
    store =
        new ObjectStore(
            ledger, new TxBuilder(ledger, alice), alice.id(), encryption, writer, secure);
  }

  static AccountKeys keys(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    seed[31] = 3;
    return AccountKeys.fromSeed(seed);
  }

  private void submit(AccountKeys k, Call c) {
    ledger.submit(SignedTransaction.sign(k, NET, ledger.nextNonce(k.id()), c)).join();
  }

  ObjectPath path(String key) {
    return new ObjectPath(alice.id(), BUCKET, key);
  }

  ObjectRecord record(String key) {
    return ledger.object(alice.id(), BUCKET, key).orElseThrow(() -> new AssertionError(key));
  }

  /** The committed bytes of {@code key}, read through the pipeline. */
  byte[] committed(String key) throws IOException {
    ObjectRecord r = record(key);
    DataKey k = ObjectKeys.open(r.access(), r.manifest().objectId(), alice.id(), encryption);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    reader.readAll(r.manifest(), k, out, ProgressListener.NONE);
    return out.toByteArray();
  }

  SegmentCache segmentCache() {
    return SegmentCache.create(reader, 64L * MIB, Runnable::run);
  }

  MetadataCache noMetadata() {
    return MetadataCache.create(ledger, Duration.ZERO, Duration.ZERO, () -> 0L);
  }

  WriteBackCache open(CacheConfig config, FakeScheduler scheduler, Executor uploads)
      throws IOException {
    return WriteBackCache.open(
        config, store, segmentCache(), noMetadata(), scheduler, uploads, wallClock);
  }

  void setMinersOnline(boolean online) {
    for (AccountKeys m : minerKeys) {
      miners.memoryStore(m.id()).setOnline(online);
    }
  }

  static CacheConfig config(Path dir) {
    return CacheConfig.defaults(dir).withFlushDelay(Duration.ofSeconds(2));
  }

  @Override
  public void close() {
    hedger.shutdownNow();
  }
}
