package org.deoss.fs;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.deoss.cache.MetadataCache;
import org.deoss.cache.ObjectStore;
import org.deoss.cache.SegmentCache;
import org.deoss.cache.UploadProgress;
import org.deoss.cache.WriteBackCache;
import org.deoss.cache.WriteBackCache.PendingFile;
import org.deoss.core.pipeline.ObjectReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live mount of an account (or one bucket) on a folder.
 *
 * <pre>
 *   mount() ──▶ MOUNTED ──unmount()──▶ UNMOUNTING ──▶ UNMOUNTED
 *                  │                                      ▲
 *                  └── fusermount -u by someone else ─────┘ (awaitUnmounted returns;
 *                                                            close() still drains the cache)
 * </pre>
 *
 * <p>{@link #mount} returns once the kernel serves the folder (seen in the mount table), not after
 * a guessed delay. A stale mount left by a crashed process ("Transport endpoint is not connected")
 * is cleaned first; a live mount, a folder with files in it, or a cache directory that another
 * mount holds (a file lock) is refused. {@link #unmount} drains the write-back cache first, then
 * unmounts with a plain {@code fusermount -u}, retried while the mount is busy, lazy only as the
 * last resort; then it closes the caches.
 */
public final class DeossMount implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeossMount.class);
  private static final Duration MOUNT_WAIT = Duration.ofSeconds(15);
  private static final String RESERVED_BUCKET = "deoss-root-entries";

  /**
   * Uploads after close start once the mount had no call for this long (see {@link
   * ForegroundGate}), or once held {@link #UPLOAD_HOLD_MAX} past the flush delay.
   */
  private static final Duration UPLOAD_QUIET = Duration.ofMillis(250);

  private static final Duration UPLOAD_HOLD_MAX = Duration.ofSeconds(10);

  private enum State {
    MOUNTED,
    UNMOUNTING,
    UNMOUNTED
  }

  private final MountOptions options;
  private final WriteBackCache cache;
  private final FsCore core;
  private final CompletableFuture<Void> loop;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ScheduledExecutorService scheduler;
  private final List<ExecutorService> pools;
  private State state = State.MOUNTED;

  private DeossMount(
      MountOptions options,
      WriteBackCache cache,
      FsCore core,
      CompletableFuture<Void> loop,
      FileChannel lockChannel,
      FileLock lock,
      ScheduledExecutorService scheduler,
      List<ExecutorService> pools) {
    this.options = options;
    this.cache = cache;
    this.core = core;
    this.loop = loop;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.scheduler = scheduler;
    this.pools = pools;
  }

  /**
   * Mounts and returns once the kernel serves the mount point.
   *
   * @param store the account's ledger, transaction builder, keys and pipeline writer
   * @param reader the pipeline reader (for segments of committed objects)
   * @throws MountException when the mount point is live or not an empty folder, the cache directory
   *     is held by another mount, or libfuse refused (the reason is in the message, and libfuse's
   *     own words on stderr)
   */
  public static DeossMount mount(MountOptions options, ObjectStore store, ObjectReader reader)
      throws IOException {
    Path mp = options.mountPoint().toAbsolutePath().normalize();
    prepareMountPoint(mp);
    JitWarmup.start(); // compiles the data path while the mount starts (see the class)
    Path cacheDir = options.cache().cacheDir();
    Files.createDirectories(cacheDir);
    FileChannel ch =
        FileChannel.open(
            cacheDir.resolve("mount.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new MountException(
          "cache directory " + cacheDir + " is in use by another mount; give each mount its own");
    }
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(daemons("deoss-cache-timer"));
    ExecutorService uploads = Executors.newFixedThreadPool(4, daemons("deoss-upload"));
    ExecutorService flushers = Executors.newFixedThreadPool(8, daemons("deoss-flush"));
    WriteBackCache cache = null;
    try {
      var cfg = options.cache();
      MetadataCache meta =
          MetadataCache.create(
              store.ledger(),
              cfg.metadataTtl(),
              cfg.negativeTtl(),
              Ticker.systemTicker(),
              ForkJoinPool.commonPool());
      // Decoded segments live on the heap beside the segments being fetched and encoded: at most
      // a quarter of it, so a small heap (-Xmx512m) cannot run out while a large file streams.
      long heapShare = Runtime.getRuntime().maxMemory() / 4;
      if (cfg.segmentCacheBytes() > heapShare) {
        log.info(
            "segment cache limited to {} MiB (a quarter of the heap) instead of {} MiB",
            heapShare >> 20,
            cfg.segmentCacheBytes() >> 20);
      }
      SegmentCache segments =
          SegmentCache.create(
              reader, Math.min(cfg.segmentCacheBytes(), heapShare), ForkJoinPool.commonPool());
      Clock clock = Clock.systemUTC();
      ForegroundGate gate = new ForegroundGate(System::nanoTime, UPLOAD_QUIET, UPLOAD_HOLD_MAX);
      cache =
          WriteBackCache.open(
              cfg,
              store,
              segments,
              meta,
              Scheduler.forScheduledExecutorService(scheduler),
              uploads,
              clock,
              gate);
      WriteBackCache c = cache;
      PathMapper mapper = new PathMapper(options.bucket(), RESERVED_BUCKET);
      Namespace ns = new Namespace(store, cache, meta, mapper, clock);
      SpaceGuard space =
          new SpaceGuard(store.ledger(), store.account(), () -> c.progress().bytesPending(), clock);
      FsCore core = new FsCore(ns, segments, space, options.uid(), options.gid(), flushers);
      FuseBoundary fs =
          new FuseBoundary(core, System::nanoTime, options.slowCall().toNanos(), null, gate);
      String[] args = options.fuseArguments(store.account().toString()).toArray(String[]::new);
      CompletableFuture<Void> loop = new CompletableFuture<>();
      Thread t =
          new Thread(
              () -> {
                try {
                  fs.mount(mp, true, false, args);
                  loop.complete(null);
                } catch (Throwable e) {
                  loop.completeExceptionally(e);
                }
              },
              "deoss-fuse-loop");
      t.setDaemon(true);
      t.start();
      awaitMounted(mp, loop);
      log.info("mounted {} ({})", mp, String.join(" ", args));
      return new DeossMount(
          options, cache, core, loop, ch, lock, scheduler, List.of(uploads, flushers));
    } catch (IOException | RuntimeException e) {
      if (cache != null) {
        closeQuietly(cache);
      }
      scheduler.shutdownNow();
      uploads.shutdownNow();
      flushers.shutdownNow();
      lock.release();
      ch.close();
      throw e;
    }
  }

  private static void prepareMountPoint(Path mp) throws IOException {
    if (MountTable.isStale(mp)) {
      log.warn("{} is a stale mount (its process is gone): unmounting it lazily", mp);
      String err = MountTable.fusermount(mp, true);
      if (err != null) {
        throw new MountException("cannot clean the stale mount at " + mp + ": " + err);
      }
    }
    Optional<String> type = MountTable.typeAt(mp);
    if (type.isPresent()) {
      throw new MountException(mp + " is already mounted (" + type.get() + ")");
    }
    Files.createDirectories(mp);
    if (!Files.isDirectory(mp)) {
      throw new MountException(mp + " is not a folder");
    }
    try (Stream<Path> s = Files.list(mp)) {
      if (s.findAny().isPresent()) {
        throw new MountException(mp + " is not empty; mount on an empty folder");
      }
    }
  }

  private static void awaitMounted(Path mp, CompletableFuture<Void> loop) throws IOException {
    long deadline = System.nanoTime() + MOUNT_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (MountTable.typeAt(mp).filter(t -> t.startsWith("fuse")).isPresent()) {
        return;
      }
      try {
        loop.get(20, TimeUnit.MILLISECONDS);
        throw new MountException(
            "libfuse stopped before " + mp + " was mounted (see its message on stderr)");
      } catch (TimeoutException e) {
        // still starting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MountException("interrupted while mounting " + mp, e);
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable c = e.getCause();
        throw new MountException(
            "libfuse could not mount "
                + mp
                + ": "
                + c.getMessage()
                + (c.getCause() != null ? " (" + c.getCause().getMessage() + ")" : "")
                + "; libfuse's reason is on stderr",
            c);
      }
    }
    String err = MountTable.fusermount(mp, true);
    throw new MountException(
        "the kernel did not show "
            + mp
            + " as mounted within "
            + MOUNT_WAIT.toSeconds()
            + " s"
            + (err == null ? "" : "; " + err));
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The mount point. */
  public Path mountPoint() {
    return options.mountPoint();
  }

  /** The upload queue now. */
  public UploadProgress progress() {
    return cache.progress();
  }

  /** Whether the kernel still serves the mount (false once anyone unmounted it). */
  public boolean isMounted() {
    return !loop.isDone();
  }

  /**
   * Uploads everything pending (waiting up to {@code drainTimeout}, reporting to {@code progress}),
   * unmounts, and closes the caches. Files not committed in time stay in the cache directory and
   * upload at the next mount.
   *
   * @return the files still not committed
   * @throws MountException when the mount stays busy even for a lazy unmount
   */
  public synchronized List<PendingFile> unmount(
      Duration drainTimeout, Consumer<UploadProgress> progress) throws IOException {
    if (state != State.MOUNTED) {
      return List.of();
    }
    state = State.UNMOUNTING;
    List<PendingFile> left;
    try {
      left = cache.drain(drainTimeout, progress);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      left = List.of();
    }
    try {
      if (!loop.isDone()) {
        unmountKernel();
      }
    } finally {
      core.closeAll();
      closeQuietly(cache);
      scheduler.shutdownNow();
      pools.forEach(ExecutorService::shutdownNow);
      lock.release();
      lockChannel.close();
      state = State.UNMOUNTED;
    }
    if (!left.isEmpty()) {
      log.warn(
          "{} files were not uploaded before unmount; they upload at the next mount", left.size());
    }
    return left;
  }

  private void unmountKernel() throws IOException {
    Path mp = options.mountPoint();
    String err = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      err = MountTable.fusermount(mp, false);
      if (err == null) {
        break;
      }
      if (!err.contains("busy")) {
        break;
      }
      sleepQuietly(250);
    }
    if (err != null) {
      log.warn("{} stays busy ({}); unmounting lazily", mp, err);
      String lazy = MountTable.fusermount(mp, true);
      if (lazy != null) {
        throw new MountException("cannot unmount " + mp + ": " + err + "; lazily: " + lazy);
      }
    }
    try {
      loop.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("fuse loop of {} ended with {}", mp, e.toString());
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns when the mount ended, whoever unmounted it. */
  public void awaitUnmounted() throws InterruptedException {
    try {
      loop.get();
    } catch (java.util.concurrent.ExecutionException e) {
      log.debug("fuse loop ended with {}", e.getCause().toString());
    }
  }

  /** Unmounts (draining up to a minute) if still mounted. */
  @Override
  public void close() throws IOException {
    unmount(Duration.ofMinutes(1), p -> {});
  }

  private static void closeQuietly(WriteBackCache c) {
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      log.warn("closing the write-back cache failed: {}", e.toString());
    }
  }
}
