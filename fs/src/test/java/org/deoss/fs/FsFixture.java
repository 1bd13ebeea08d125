package org.deoss.fs;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.deoss.cache.CacheConfig;
import org.deoss.cache.MetadataCache;
import org.deoss.cache.ObjectStore;
import org.deoss.cache.SegmentCache;
import org.deoss.cache.WriteBackCache;
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
 * An in-memory network (ledger, three miners, RS 2+1, 1 MiB segments), an account with 1 GiB of
 * space and a bucket {@code files}, and the file-system core over a write-back cache whose uploads
 * wait for fsync, rename of a folder or {@link #drain()} (the flush delay is long).
 */
final class FsFixture implements AutoCloseable {
  static final String NET = "fs-test";
  static final String BUCKET = "files";
  static final String RESERVED = "deoss-root-entries";
  static final int UID = 1000;
  static final int GID = 1000;

  final AtomicLong ledgerClock = new AtomicLong(1_700_000_000_000L);
  final AccountKeys alice = keys(1);
  final InMemoryLedger ledger;
  final InMemoryMinerDirectory miners = new InMemoryMinerDirectory();
  final SecureRandom secure = new SecureRandom();
  final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1);
  final ExecutorService uploads = Executors.newFixedThreadPool(2);
  final ExecutorService flushers = Executors.newFixedThreadPool(4);
  final ObjectReader reader;
  final ObjectStore store;
  final X25519KeyPair encryption = EncryptionKeys.derive(alice);
  final WriteBackCache cache;
  final SegmentCache segments;
  final FsCore core;
  final FuseBoundary fuse;

  FsFixture(Path cacheDir) throws IOException {
    this(cacheDir, null, 1);
  }

  /**
   * @param singleBucket mount only this bucket, or null for all
   * @param gib space bought for the account (0: none)
   */
  FsFixture(Path cacheDir, String singleBucket, long gib) throws IOException {
    this(cacheDir, singleBucket, gib, Duration.ZERO);
  }

  /**
   * @param metadataTtl how long the metadata cache trusts the ledger (zero: every lookup asks it;
   *     more: lookups are answered from folder listings and records as in a real mount)
   */
  FsFixture(Path cacheDir, String singleBucket, long gib, Duration metadataTtl) throws IOException {
    Genesis.Builder b = Genesis.builder(NET).endow(alice.id(), 100_000 * Genesis.TOKEN);
    List<AccountKeys> minerKeys = new ArrayList<>();
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
    if (gib > 0) {
      submit(alice, new Call.BuySpace(gib, 30));
    }
    submit(alice, new Call.CreateBucket(alice.id(), BUCKET));
    PipelineConfig config =
        PipelineConfig.defaults()
            .withSegmentSize(1 << 20)
            .withCoding(2, 1)
            .withHedgeDelay(Duration.ZERO);
    ObjectWriter writer =
        new ObjectWriter(config, miners, Placement.create(2, 1, new SplittableRandom(5)), secure);
    reader = new ObjectReader(miners, timers, Duration.ZERO, Runnable::run);
    store =
        new ObjectStore(
            ledger, new TxBuilder(ledger, alice), alice.id(), encryption, writer, secure);
    CacheConfig cc = CacheConfig.defaults(cacheDir).withFlushDelay(Duration.ofHours(1));
    MetadataCache meta =
        MetadataCache.create(ledger, metadataTtl, metadataTtl, Ticker.systemTicker());
    segments = SegmentCache.create(reader, 16L << 20, Runnable::run);
    Clock clock = Clock.systemUTC();
    cache =
        WriteBackCache.open(
            cc,
            store,
            segments,
            meta,
            Scheduler.forScheduledExecutorService(timers),
            uploads,
            clock);
    Namespace ns = new Namespace(store, cache, meta, new PathMapper(singleBucket, RESERVED), clock);
    SpaceGuard space =
        new SpaceGuard(ledger, alice.id(), () -> cache.progress().bytesPending(), clock);
    core = new FsCore(ns, segments, space, 0, 0, flushers);
    fuse =
        new FuseBoundary(
            core,
            System::nanoTime,
            Duration.ofSeconds(5).toNanos(),
            new FuseBoundary.Caller() {
              @Override
              public int uid() {
                return UID;
              }

              @Override
              public int gid() {
                return GID;
              }
            });
  }

  static AccountKeys keys(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    seed[31] = 7;
    return AccountKeys.fromSeed(seed);
  }

  void submit(AccountKeys k, Call c) {
    ledger.submit(SignedTransaction.sign(k, NET, ledger.nextNonce(k.id()), c)).join();
  }

  boolean committed(String bucket, String key) {
    return ledger.object(alice.id(), bucket, key).isPresent();
  }

  ObjectRecord record(String bucket, String key) {
    return ledger
        .object(alice.id(), bucket, key)
        .orElseThrow(() -> new AssertionError("no " + bucket + "/" + key));
  }

  String committedText(String bucket, String key) throws IOException {
    ObjectRecord r = record(bucket, key);
    DataKey k = ObjectKeys.open(r.access(), r.manifest().objectId(), alice.id(), encryption);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    reader.readAll(r.manifest(), k, out, ProgressListener.NONE);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Uploads everything the cache holds and waits for the commits. */
  void drain() throws InterruptedException {
    cache.drain(Duration.ofSeconds(30), p -> {});
  }

  /** Creates {@code path} with {@code text} through the core, as create + write + release. */
  void writeFile(String path, String text) throws IOException {
    long fh = core.create(path, 0644, FsCore.O_CREAT | 01 | FsCore.O_TRUNC, UID, GID);
    core.write(fh, 0, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    core.release(fh);
  }

  /** Reads all of {@code path} through the core. */
  String readFile(String path) throws IOException {
    long fh = core.open(path, 0);
    try {
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      long off = 0;
      while (true) {
        int n = core.read(fh, off, buf);
        if (n <= 0) {
          break;
        }
        off += n;
      }
      buf.flip();
      return StandardCharsets.UTF_8.decode(buf).toString();
    } finally {
      core.release(fh);
    }
  }

  /** The names in folder {@code path} (without "." and ".."). */
  List<String> list(String path) throws IOException {
    long dh = core.opendir(path);
    List<String> names = new ArrayList<>();
    for (long i = 2; ; i++) {
      String n = core.readdir(dh, i);
      if (n == null) {
        break;
      }
      names.add(n);
    }
    core.releasedir(dh);
    return names;
  }

  @Override
  public void close() throws IOException {
    core.closeAll();
    cache.close();
    uploads.shutdownNow();
    flushers.shutdownNow();
    timers.shutdownNow();
  }
}
