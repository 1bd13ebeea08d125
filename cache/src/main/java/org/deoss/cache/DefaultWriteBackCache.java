package org.deoss.cache;

import com.github.benmanes.caffeine.cache.Scheduler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.deoss.core.access.ObjectKeys;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.pipeline.ProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-back cache.
 *
 * <p><b>Layout.</b> {@code cacheDir/staging/<id>.data} holds the bytes of an entry, {@code
 * cacheDir/journal/<id>.rec} its {@link JournalRecord}, {@code cacheDir/lost+found/} what a restart
 * could not replay safely (kept, never uploaded, never deleted).
 *
 * <p><b>Journal protocol.</b> An entry gets an <em>unsealed</em> record before its first write (for
 * a new object: when it is created; for an existing one: when it leaves CLEAN). The record is
 * <em>sealed</em> when the last handle closes, on fsync, and when a flush starts. Sealing writes
 * the record without fsync: the staging bytes and the record are then in the kernel's page cache
 * and survive a crash of the process (kill -9), which is what close promises; what fsync promises
 * (surviving a power loss) is kept by the ledger commit it waits for. The fid of the version being
 * committed is recorded, fsynced, before the commit is submitted, so a restart after a commit whose
 * record was not yet removed recognises the commit instead of reporting a conflict. A committed
 * entry loses its record. On restart, a sealed record is replayed (queued for upload); an unsealed
 * one holds only unacknowledged writes and is moved to lost+found with its staging file rather than
 * clobbering the committed version; a staging file without a record held only bytes read from the
 * store and is deleted.
 *
 * <p><b>Upload.</b> A new object is written whole ({@code ObjectWriter.write}) and committed if the
 * key is still absent; an existing one is rewritten from its base, re-encoding the touched and
 * resized segments only, and committed if the key is still at the base version. An entry whose data
 * did not change commits its attributes alone ({@code SetAttributes}). The mtime committed is the
 * entry's: stamped by each write, or set by the caller, never by the flush.
 *
 * <p><b>When a flush runs.</b> After the configured delay once the last handle closes (reopening
 * cancels it); at once on fsync, {@link #flush} and {@link #drain}; for every DIRTY entry, open or
 * not, when a writer finds the dirty bound reached ({@link DirtyBudget}); after a failure, with
 * exponential backoff from {@code retryInitial} to {@code retryMax} (a version conflict is not
 * retried). A flush freezes the entry (FLUSHING): writes, truncates and attribute changes wait
 * until it ends, reads go on.
 *
 * <p><b>Rename.</b> An uncommitted new object is re-keyed locally and its journal record rewritten
 * (sealed); its commit then requires the target to be absent or at the version it replaced. An
 * entry with a committed version is renamed on the ledger first. Flushes wait while a rename moves
 * the entry ({@code Entry.renaming}).
 *
 * <p><b>Parts.</b> {@link BaseFill} fills staging segments from the base version, {@link Committer}
 * uploads and commits a frozen entry, {@link CachedFileHandle} is the handle; this class owns the
 * entries, the journal protocol, the state machine and the timing.
 *
 * <p><b>Locks.</b> The entries map is guarded by {@code this}; each entry by its own lock. Order:
 * {@code this} before an entry lock; no code takes {@code this} while holding an entry lock. Fills
 * (reads of the base version) run under the entry lock. A writer waits for the dirty budget before
 * it takes the entry lock, so a blocked writer never holds what a flush needs.
 */
final class DefaultWriteBackCache implements WriteBackCache {
  private static final Logger log = LoggerFactory.getLogger(DefaultWriteBackCache.class);
  private static final HexFormat HEX = HexFormat.of();

  private final CacheConfig config;
  private final ObjectStore store;
  private final MetadataCache metadata;
  private final Scheduler scheduler;
  private final UploadGate gate;
  private final Executor uploads;
  private final Clock clock;
  private final Journal journal;
  private final Path stagingDir;
  private final Path lostFound;
  private final DirtyBudget budget;
  private final BaseFill fill;
  private final Committer committer;
  private final Map<ObjectPath, Entry> entries = new ConcurrentHashMap<>();

  /** The same entries by {@link #sortKey}, for {@link #pendingUnder} without a full scan. */
  private final java.util.concurrent.ConcurrentSkipListMap<String, Entry> byKey =
      new java.util.concurrent.ConcurrentSkipListMap<>();

  private final AtomicLong bytesDone = new AtomicLong();

  /** Most new files uploaded while they are written, at once (each takes an upload thread). */
  private static final int MAX_STREAMS = 2;

  private final java.util.concurrent.atomic.AtomicInteger streams =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile ObjectPath current;
  private volatile String lastError;
  private volatile boolean closed;

  private DefaultWriteBackCache(
      CacheConfig config,
      ObjectStore store,
      SegmentCache segments,
      MetadataCache metadata,
      Scheduler scheduler,
      Executor uploads,
      Clock clock,
      UploadGate gate)
      throws IOException {
    this.gate = gate;
    this.config = config;
    this.store = store;
    this.metadata = metadata;
    this.scheduler = scheduler;
    this.uploads = uploads;
    this.clock = clock;
    Path dir = Files.createDirectories(config.cacheDir());
    this.journal = new Journal(dir.resolve("journal"));
    this.stagingDir = Files.createDirectories(dir.resolve("staging"));
    this.lostFound = Files.createDirectories(dir.resolve("lost+found"));
    this.budget = new DirtyBudget(config.maxDirtyBytes());
    this.fill = new BaseFill(store, segments, config.cacheDir());
    this.committer = new Committer(store, fill, journal, bytesDone);
  }

  static DefaultWriteBackCache open(
      CacheConfig config,
      ObjectStore store,
      SegmentCache segments,
      MetadataCache metadata,
      Scheduler scheduler,
      Executor uploads,
      Clock clock,
      UploadGate gate)
      throws IOException {
    DefaultWriteBackCache c =
        new DefaultWriteBackCache(
            config, store, segments, metadata, scheduler, uploads, clock, gate);
    List<Entry> replayed = c.replay();
    for (Entry e : replayed) {
      uploads.execute(() -> c.flushQuietly(e));
    }
    if (!replayed.isEmpty()) {
      log.info("cache {}: {} unfinished uploads queued", config.cacheDir(), replayed.size());
    }
    return c;
  }

  // ---------------------------------------------------------------- replay

  private List<Entry> replay() throws IOException {
    List<Entry> out = new ArrayList<>();
    Set<String> known = new java.util.HashSet<>();
    for (Path file : journal.files()) {
      String id = file.getFileName().toString().replace(".rec", "");
      Path data = stagingDir.resolve(id + ".data");
      JournalRecord r;
      try {
        r = JournalRecord.decode(Files.readAllBytes(file));
      } catch (IOException e) {
        log.warn("journal record {} unreadable ({}); moved to lost+found", file, e.getMessage());
        toLostFound(file, data);
        continue;
      }
      if (!r.sealed() || !Files.exists(data) || entries.containsKey(r.path())) {
        log.warn(
            "{}: writes never acknowledged by close or fsync, or staging missing; moved to"
                + " lost+found as {}",
            r.path(),
            id);
        toLostFound(file, data);
        continue;
      }
      FileChannel ch = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE);
      Entry e = Entry.fromRecord(r, data, ch);
      e.dirtyBytes = Math.max(1, r.size());
      budget.reserve(e.dirtyBytes);
      entries.put(e.path, e);
      byKey.put(sortKey(e.path), e);
      known.add(id);
      out.add(e);
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(stagingDir)) {
      for (Path p : ds) {
        String id = p.getFileName().toString().replace(".data", "");
        if (!known.contains(id)) {
          Files.deleteIfExists(p); // only bytes read from the store: no record was ever written
        }
      }
    }
    return out;
  }

  private void toLostFound(Path record, Path data) throws IOException {
    for (Path p : List.of(record, data)) {
      if (Files.exists(p)) {
        Files.move(p, lostFound.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  // ---------------------------------------------------------------- open

  @Override
  public FileHandle open(ObjectPath path, Set<OpenFlag> flags, PosixAttributes newAttributes)
      throws IOException {
    checkOpen();
    boolean create = flags.contains(OpenFlag.CREATE);
    boolean exclusive = create && flags.contains(OpenFlag.EXCLUSIVE);
    Entry e = attach(path, exclusive);
    if (e == null) {
      Optional<ObjectRecord> rec =
          create && metadata.presence(path) != MetadataCache.Presence.UNKNOWN
              ? Optional.empty() // a recent listing of the folder: see WriteBackCache#open
              : store.ledger().object(path.owner(), path.bucket(), path.key());
      if (rec.isEmpty() && !create) {
        throw new NoSuchFileException(path.toString());
      }
      if (rec.isPresent() && exclusive) {
        throw new FileAlreadyExistsException(path.toString());
      }
      Entry fresh = rec.isPresent() ? existing(path, rec.get()) : created(path, newAttributes);
      e = install(fresh, exclusive);
    }
    CachedFileHandle h = new CachedFileHandle(this, e);
    if (flags.contains(OpenFlag.TRUNCATE)) {
      try {
        truncate(e, 0);
      } catch (IOException | RuntimeException ex) {
        h.close();
        throw ex;
      }
    }
    return h;
  }

  /** Takes a handle on a held entry, or returns null. */
  private synchronized Entry attach(ObjectPath path, boolean exclusive) throws IOException {
    Entry e = entries.get(path);
    if (e == null) {
      return null;
    }
    e.lock.lock();
    try {
      if (e.discarded || e.dropped) {
        return null;
      }
      if (exclusive) {
        throw new FileAlreadyExistsException(path.toString());
      }
      e.handles++;
      e.cancelScheduled();
      return e;
    } finally {
      e.lock.unlock();
    }
  }

  /** Puts a new entry in the map with one handle, unless another open won the race. */
  private Entry install(Entry fresh, boolean exclusive) throws IOException {
    Entry winner;
    synchronized (this) {
      Entry other = entries.get(fresh.path);
      if (other == null || other.discarded || other.dropped) {
        fresh.handles = 1;
        entries.put(fresh.path, fresh);
        byKey.put(sortKey(fresh.path), fresh);
        return fresh;
      }
      winner = other;
    }
    dropFiles(fresh);
    Entry again = attach(winner.path, exclusive);
    if (again == null) {
      throw new IOException(fresh.path + " was discarded while opening; open it again");
    }
    return again;
  }

  private Entry existing(ObjectPath path, ObjectRecord rec) throws IOException {
    DataKey key =
        ObjectKeys.open(
            rec.access(), rec.manifest().objectId(), store.account(), store.encryption());
    Entry e = newEntry(path);
    e.state = EntryState.CLEAN;
    e.base = new Entry.Base(rec.version(), rec.manifest(), rec.access(), key);
    e.baseVersion = rec.version();
    e.segmentSize = rec.manifest().segmentSize();
    e.size = rec.size();
    e.baseValid = rec.size();
    e.attributes = rec.attributes();
    extendStaging(e, e.size);
    return e;
  }

  private Entry created(ObjectPath path, PosixAttributes attrs) throws IOException {
    java.util.Objects.requireNonNull(attrs, "attributes of the new file " + path);
    Entry e = newEntry(path);
    e.state = EntryState.DIRTY;
    e.attributes = attrs;
    e.dataDirty = true;
    e.dirtyBytes = 0;
    journal.write(e.record(false), Journal.Durability.PROCESS);
    return e;
  }

  private Entry newEntry(ObjectPath path) throws IOException {
    byte[] b = new byte[12];
    store.random().nextBytes(b);
    String id = HEX.formatHex(b);
    Path file = stagingDir.resolve(id + ".data");
    FileChannel ch;
    try {
      ch =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
    } catch (IOException ex) {
      throw diskFull(ex);
    }
    return new Entry(id, path, file, ch);
  }

  // ---------------------------------------------------------------- file operations

  int read(Entry e, long offset, ByteBuffer dst) throws IOException {
    if (offset < 0) {
      throw new IllegalArgumentException("read offset " + offset + " is negative");
    }
    e.lock.lock();
    try {
      if (offset >= e.size) {
        return dst.hasRemaining() ? -1 : 0;
      }
      int n = (int) Math.min(dst.remaining(), e.size - offset);
      fill.ensurePresent(e, offset, offset + n);
      ByteBuffer slice = dst.slice(dst.position(), n);
      e.readStaging(offset, slice);
      dst.position(dst.position() + n);
      return n;
    } finally {
      e.lock.unlock();
    }
  }

  /**
   * Writes {@code src} at {@code at}, or at the end when {@code at} is -1; returns the offset used.
   * The dirty budget is taken before the entry lock, so a blocked writer never holds a lock that a
   * flush needs.
   */
  long write(Entry e, long at, ByteBuffer src) throws IOException {
    if (at < -1) {
      throw new IllegalArgumentException("write offset " + at + " is negative");
    }
    int len = src.remaining();
    budget.acquire(len, this::flushAllDirty);
    boolean ok = false;
    e.lock.lock();
    try {
      e.awaitNotFlushing();
      long offset = at == -1 ? e.size : at;
      if (len == 0) {
        ok = true;
        return offset;
      }
      long end = offset + len;
      if (e.segmentSize > 0) {
        int first = (int) (offset / e.segmentSize);
        int last = (int) ((end - 1) / e.segmentSize);
        for (int s = first; s <= last; s++) {
          if (!e.isPresent(s)) {
            long segStart = (long) s * e.segmentSize;
            long baseEnd = Math.min(segStart + e.segmentSize, e.baseValid);
            if (offset <= segStart && end >= baseEnd) {
              e.present.set(s); // every base byte of the segment is overwritten
            } else {
              fill.fill(e, s);
            }
          }
        }
        e.touched.set(first, last + 1);
      }
      markDirty(e);
      try {
        e.writeStaging(offset, src);
      } catch (IOException ex) {
        throw diskFull(ex);
      }
      e.size = Math.max(e.size, end);
      if (e.stream != null) {
        e.stream.wrote(offset, len);
      } else if (StreamingUpload.worthStarting(e) && !closed) {
        startStream(e);
      }
      long now = nowNanos();
      e.attributes = Entry.withTimes(e.attributes, now, now);
      e.dataDirty = true;
      e.sealed = false;
      e.dirtyBytes += len;
      ok = true;
      return offset;
    } finally {
      e.lock.unlock();
      if (!ok) {
        budget.release(len);
      }
    }
  }

  void truncate(Entry e, long newSize) throws IOException {
    if (newSize < 0) {
      throw new IllegalArgumentException("truncate to " + newSize + " bytes: negative size");
    }
    e.lock.lock();
    try {
      e.awaitNotFlushing();
      if (newSize == e.size) {
        return;
      }
      markDirty(e);
      if (newSize < e.size) {
        if (e.segmentSize > 0 && newSize < e.baseValid) {
          int seg = (int) (newSize / e.segmentSize);
          if (newSize % e.segmentSize != 0 && !e.isPresent(seg)) {
            fill.fill(e, seg);
          }
          int lastBase = (int) ((e.baseValid - 1) / e.segmentSize);
          e.touched.set(seg, lastBase + 1);
          e.baseValid = newSize;
        }
        e.staging.truncate(newSize);
      } else {
        extendStaging(e, newSize);
      }
      e.size = newSize;
      if (e.stream != null) {
        e.stream.truncated(newSize);
      }
      long now = nowNanos();
      e.attributes = Entry.withTimes(e.attributes, now, now);
      e.dataDirty = true;
      e.sealed = false;
    } finally {
      e.lock.unlock();
    }
  }

  void setAttributes(Entry e, UnaryOperator<PosixAttributes> change) throws IOException {
    e.lock.lock();
    try {
      e.awaitNotFlushing();
      PosixAttributes next = change.apply(e.attributes);
      if (next.equals(e.attributes)) {
        return;
      }
      markDirty(e);
      e.attributes = next;
      e.sealed = false;
      if (e.handles == 0) {
        try {
          seal(e);
        } finally {
          schedule(e, config.flushDelay());
        }
      }
    } finally {
      e.lock.unlock();
    }
  }

  /** CLEAN or FAILED to DIRTY; from CLEAN the unsealed record is written first. */
  private void markDirty(Entry e) throws IOException {
    if (e.state == EntryState.CLEAN) {
      try {
        journal.write(e.record(false), Journal.Durability.PROCESS);
      } catch (IOException ex) {
        throw diskFull(ex);
      }
      e.move(EntryState.DIRTY);
    } else if (e.state == EntryState.FAILED) {
      e.move(EntryState.DIRTY);
    }
  }

  private void extendStaging(Entry e, long newSize) throws IOException {
    if (newSize > 0) {
      try {
        e.staging.write(ByteBuffer.allocate(1), newSize - 1);
      } catch (IOException ex) {
        throw diskFull(ex);
      }
    }
  }

  /** A close(2) of one descriptor: seal what is written, as the last release would. */
  void acknowledge(Entry e) throws IOException {
    e.lock.lock();
    try {
      if (!e.discarded && e.state == EntryState.DIRTY) {
        seal(e);
      }
    } finally {
      e.lock.unlock();
    }
  }

  void release(Entry e) throws IOException {
    boolean maybeRemove;
    e.lock.lock();
    try {
      if (e.handles <= 0) {
        return;
      }
      e.handles--;
      maybeRemove = e.handles == 0;
      if (e.handles == 0 && !e.discarded && e.state == EntryState.DIRTY) {
        try {
          seal(e); // close acknowledges: a failure here is the caller's error (EIO, ENOSPC)
        } finally {
          schedule(e, config.flushDelay()); // the bytes are still uploaded
        }
      }
    } finally {
      e.lock.unlock();
    }
    if (maybeRemove) {
      removeIfIdle(e);
    }
  }

  /**
   * Writes a sealed record of the staging bytes, which are in the kernel's page cache: from here
   * they survive a crash of the process. No fsync: a close is not a promise against a power loss
   * (as on a local file system); an fsync is, and it is kept by the ledger commit, whose journal is
   * fsynced, not by this file. Holds the entry lock.
   */
  private void seal(Entry e) throws IOException {
    if (e.sealed) {
      return;
    }
    try {
      journal.write(e.record(true), Journal.Durability.PROCESS);
    } catch (IOException ex) {
      throw diskFull(ex);
    }
    e.sealed = true;
  }

  /** Holds the entry lock. */
  private void schedule(Entry e, Duration delay) {
    e.cancelScheduled();
    if (closed) {
      return;
    }
    Runnable task = () -> startGated(e, Duration.ZERO);
    if (delay.isZero()) {
      uploads.execute(task);
    } else {
      e.scheduled = scheduler.schedule(uploads, task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /**
   * A scheduled flush whose delay is over: starts it, or holds it back as long as {@link #gate}
   * says, as a new scheduled task (which a reopen cancels like the first).
   */
  private void startGated(Entry e, Duration waited) {
    Duration hold = gate.holdFor(waited);
    if (!hold.isZero() && !hold.isNegative()) {
      e.lock.lock();
      try {
        boolean waiting = e.state == EntryState.DIRTY || e.state == EntryState.FAILED;
        if (closed || e.discarded || e.handles > 0 || !waiting) {
          return;
        }
        Duration next = waited.plus(hold);
        e.cancelScheduled();
        e.scheduled =
            scheduler.schedule(
                uploads, () -> startGated(e, next), hold.toNanos(), TimeUnit.NANOSECONDS);
      } finally {
        e.lock.unlock();
      }
      return;
    }
    flushQuietly(e);
  }

  /**
   * Backpressure hook: every DIRTY entry, open or not, is flushed now, except one whose upload
   * while writing still gives bytes back as it stores them ({@link StreamingUpload#stalled}).
   */
  private void flushAllDirty() {
    for (Entry e : entries.values()) {
      StreamingUpload s = e.stream;
      if (e.state == EntryState.DIRTY && (s == null || s.stalled())) {
        uploads.execute(() -> flushQuietly(e));
      }
    }
  }

  /**
   * Starts uploading a new object while it is written (see {@link StreamingUpload}), unless {@link
   * #MAX_STREAMS} such uploads run already. Holds the entry lock.
   */
  private void startStream(Entry e) {
    if (streams.incrementAndGet() > MAX_STREAMS) {
      streams.decrementAndGet();
      return; // the next write tries again
    }
    StreamingUpload s =
        new StreamingUpload(
            e,
            org.deoss.core.manifest.ObjectId.random(store.random()),
            DataKey.generate(store.random()));
    e.stream = s;
    try {
      uploads.execute(
          () -> {
            try {
              if (e.lock.isHeldByCurrentThread()) {
                s.refuse("a direct executor would run it on the writer's thread");
              } else {
                ProgressListener shown = committer.progressListener();
                s.runOnce(
                    store.writer(),
                    done -> {
                      shown.progress(done);
                      releaseStored(e, s, done);
                    });
              }
            } finally {
              streams.decrementAndGet();
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException ex) {
      streams.decrementAndGet();
      s.refuse("no upload thread");
    }
  }

  /**
   * Gives back to the dirty budget what a stream has stored ({@code stored} bytes so far), while
   * the stream is still the entry's (once a flush took it, the commit gives back the rest): a
   * writer of a file larger than the budget keeps writing while the file uploads, instead of
   * waiting for a commit of what it wrote so far. Runs on the thread that completed an upload:
   * never waits for the entry lock (a later call catches up). If the stream breaks, the bytes given
   * back are uploaded again outside the budget, as a replayed entry's are.
   */
  private void releaseStored(Entry e, StreamingUpload s, long stored) {
    if (!e.lock.tryLock()) {
      return;
    }
    long give;
    try {
      if (e.stream != s) {
        return;
      }
      give = Math.min(stored - s.released, e.dirtyBytes);
      if (give <= 0) {
        return;
      }
      s.released += give;
      e.dirtyBytes -= give;
    } finally {
      e.lock.unlock();
    }
    budget.release(give);
  }

  // ---------------------------------------------------------------- flush

  void flushQuietly(Entry e) {
    try {
      flushEntry(e);
    } catch (IOException | RuntimeException ex) {
      // an upload failure is already recorded on the entry; this catches one before it started
      // (sealing on a full disk), which must not vanish either
      if (e.state != EntryState.FAILED) {
        lastError = e.path + ": " + ex.getMessage();
        log.warn("flush of {} could not start: {}", e.path, ex.getMessage());
        e.lock.lock();
        try {
          e.lastError = ex.getMessage();
          if (!closed && !e.discarded && e.state == EntryState.DIRTY) {
            schedule(e, config.retryInitial());
          }
        } finally {
          e.lock.unlock();
        }
      }
      log.debug("flush of {} failed", e.path, ex);
    }
  }

  /**
   * Uploads and commits {@code e} if it is DIRTY or FAILED. Returns false when there was nothing to
   * do here (clean, discarded, or another thread flushing it).
   */
  private boolean flushEntry(Entry e) throws IOException {
    Committer.Snapshot snap;
    e.lock.lock();
    try {
      while (e.renaming) {
        awaitSettled(e);
      }
      if (e.discarded || (e.state != EntryState.DIRTY && e.state != EntryState.FAILED)) {
        return false;
      }
      e.cancelScheduled();
      seal(e);
      e.move(EntryState.FLUSHING);
      snap =
          new Committer.Snapshot(
              e.size,
              e.dataDirty,
              (java.util.BitSet) e.touched.clone(),
              e.attributes,
              e.dirtyBytes,
              e.stream);
      if (e.stream != null) {
        e.stream.finish(e.size);
        e.stream = null;
      }
    } finally {
      e.lock.unlock();
    }
    current = e.path;
    try {
      Entry.Base committed = committer.commit(e, snap);
      e.lock.lock();
      try {
        e.base = committed;
        e.baseVersion = committed.version();
        e.replaceVersion = 0;
        e.segmentSize = committed.manifest().segmentSize();
        e.baseValid = e.size;
        e.touched.clear();
        e.dataDirty = false;
        e.pendingFid = null;
        e.dirtyBytes -= snap.dirtyBytes();
        e.retryDelay = null;
        e.failure = null;
        e.lastError = null;
        e.sealed = false;
        e.move(EntryState.CLEAN);
        journal.delete(e.id);
      } finally {
        e.lock.unlock();
      }
      budget.release(snap.dirtyBytes());
      metadata.invalidate(e.path);
      removeIfIdle(e);
      log.debug("{} committed at version {}", e.path, committed.version());
      return true;
    } catch (VersionConflictException ex) {
      failed(e, ex, false);
      throw ex;
    } catch (IOException ex) {
      failed(e, ex, true);
      throw ex;
    } catch (RuntimeException ex) {
      IOException io = new IOException("upload of " + e.path + " failed: " + ex, ex);
      failed(e, io, true);
      throw io;
    } finally {
      current = null;
      synchronized (this) {
        notifyAll();
      }
    }
  }

  private void failed(Entry e, IOException ex, boolean retry) {
    e.lock.lock();
    try {
      e.failure = ex;
      e.lastError = ex.getMessage();
      e.move(EntryState.FAILED);
      if (retry) {
        Duration next =
            e.retryDelay == null
                ? config.retryInitial()
                : min(config.retryMax(), e.retryDelay.multipliedBy(2));
        e.retryDelay = next;
        schedule(e, next);
      }
    } finally {
      e.lock.unlock();
    }
    lastError = e.path + ": " + ex.getMessage();
    log.warn("upload of {} failed{}: {}", e.path, retry ? ", will retry" : "", ex.getMessage());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  // ---------------------------------------------------------------- removal

  private void removeIfIdle(Entry e) {
    synchronized (this) {
      e.lock.lock();
      try {
        boolean idle = e.handles == 0 && (e.state == EntryState.CLEAN || e.discarded);
        if (!idle || e.dropped || e.renaming) {
          return;
        }
        if (entries.get(e.path) == e) {
          entries.remove(e.path);
          byKey.remove(sortKey(e.path), e);
        } else if (!e.discarded) {
          return;
        }
        budget.release(e.dirtyBytes); // a discarded entry may have taken bytes since
        e.dirtyBytes = 0;
        e.dropped = true;
      } finally {
        e.lock.unlock();
      }
    }
    try {
      dropFiles(e);
    } catch (IOException ex) {
      log.warn("could not remove the staging file of {}: {}", e.path, ex.getMessage());
    }
  }

  private void dropFiles(Entry e) throws IOException {
    e.staging.close();
    Files.deleteIfExists(e.stagingFile);
    journal.delete(e.id);
  }

  // ---------------------------------------------------------------- queries and control

  @Override
  public Optional<PendingFile> pending(ObjectPath path) {
    Entry e = entries.get(path);
    return e == null || e.discarded ? Optional.empty() : Optional.of(view(e));
  }

  @Override
  public List<PendingFile> pendingUnder(ObjectPath prefix) {
    List<PendingFile> out = new ArrayList<>();
    String from = sortKey(prefix);
    for (Map.Entry<String, Entry> m : byKey.tailMap(from, true).entrySet()) {
      if (!m.getKey().startsWith(from)) {
        break;
      }
      Entry e = m.getValue();
      ObjectPath p = e.path;
      if (!e.discarded
          && p.owner().equals(prefix.owner())
          && p.bucket().equals(prefix.bucket())
          && p.key().startsWith(prefix.key())) {
        out.add(view(e));
      }
    }
    out.sort(java.util.Comparator.comparing(f -> f.path().key()));
    return out;
  }

  /** Orders paths by owner, bucket, then key, so that a key prefix is a range. */
  private static String sortKey(ObjectPath p) {
    return p.owner() + "\n" + p.bucket() + "\n" + p.key();
  }

  /** A lock-free view: never waits for a fill or an upload of the entry. */
  private static PendingFile view(Entry e) {
    return new PendingFile(e.path, e.size, e.attributes, e.state, e.lastError);
  }

  @Override
  public boolean setAttributes(ObjectPath path, UnaryOperator<PosixAttributes> change)
      throws IOException {
    Entry e = entries.get(path);
    if (e == null || e.discarded) {
      return false;
    }
    setAttributes(e, change);
    return true;
  }

  @Override
  public void flush(ObjectPath path) throws IOException {
    Entry e = entries.get(path);
    if (e != null) {
      flushAndWait(e);
    }
  }

  /** Flushes on the calling thread, or waits for a running flush; throws its failure. */
  void flushAndWait(Entry e) throws IOException {
    while (true) {
      e.lock.lock();
      try {
        e.awaitNotFlushing();
        if (e.state == EntryState.CLEAN || e.discarded) {
          return;
        }
      } finally {
        e.lock.unlock();
      }
      if (flushEntry(e)) {
        return;
      }
    }
  }

  @Override
  public boolean rename(ObjectPath from, ObjectPath to) throws IOException {
    if (!from.owner().equals(to.owner()) || !from.bucket().equals(to.bucket())) {
      throw new IllegalArgumentException("rename " + from + " -> " + to + " leaves its bucket");
    }
    Entry e = entries.get(from);
    if (e == null || e.discarded) {
      return false;
    }
    if (from.equals(to)) {
      return true;
    }
    discard(to); // the replaced file's pending bytes are dropped, as unlink would
    Optional<ObjectRecord> replaced =
        metadata.presence(to) != MetadataCache.Presence.UNKNOWN
            ? Optional.empty() // no object there: the commit will require it still absent
            : store.ledger().object(to.owner(), to.bucket(), to.key());
    e.lock.lock();
    try {
      e.awaitNotFlushing();
      while (e.renaming) {
        awaitSettled(e);
        e.awaitNotFlushing();
      }
      if (e.discarded || !e.path.equals(from)) {
        return false;
      }
      if (e.dropped) {
        // a flush committed it under the old name and it left the cache while we waited
        committer.submit(
            from, new Call.RenameObject(from.owner(), from.bucket(), from.key(), to.key(), true));
        metadata.invalidate(from);
        metadata.invalidate(to);
        return true;
      }
      if (e.baseVersion > 0) {
        // the committed version moves on the ledger (its version is kept, so the pending bytes
        // still commit against it at the new key)
        committer.submit(
            from, new Call.RenameObject(from.owner(), from.bucket(), from.key(), to.key(), true));
      } else {
        e.replaceVersion = replaced.map(ObjectRecord::version).orElse(0L);
      }
      e.renaming = true;
    } finally {
      e.lock.unlock();
    }
    try {
      synchronized (this) {
        e.lock.lock();
        try {
          entries.put(to, e);
          byKey.put(sortKey(to), e);
          if (!from.equals(to) && entries.get(from) == e) {
            entries.remove(from);
            byKey.remove(sortKey(from), e);
          }
          e.path = to;
          e.sealed = false;
          if (e.state != EntryState.CLEAN) {
            // Sealing (not just rewriting the record) keeps acknowledged bytes acknowledged
            // under the new name; it also acknowledges the writes since, as rename(2) implies.
            seal(e);
          }
        } finally {
          e.renaming = false;
          e.settled.signalAll();
          e.lock.unlock();
        }
      }
    } finally {
      metadata.invalidate(from);
      metadata.invalidate(to);
    }
    removeIfIdle(e); // a clean entry whose removal waited for the rename
    return true;
  }

  private static void awaitSettled(Entry e) throws java.io.InterruptedIOException {
    try {
      e.settled.await();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while " + e.path + " is renamed");
    }
  }

  @Override
  public boolean discard(ObjectPath path) throws IOException {
    Entry e = entries.get(path);
    if (e == null) {
      return false;
    }
    e.lock.lock();
    try {
      e.awaitNotFlushing();
      e.cancelScheduled();
      e.discarded = true;
      if (e.stream != null) {
        e.stream.abandon("the file was removed");
        e.stream = null;
      }
      budget.release(e.dirtyBytes);
      e.dirtyBytes = 0;
    } finally {
      e.lock.unlock();
    }
    removeIfIdle(e);
    return true;
  }

  @Override
  public UploadProgress progress() {
    int pending = 0;
    int failed = 0;
    for (Entry e : entries.values()) {
      EntryState s = e.state;
      if (s.pending() && !e.discarded) {
        pending++;
      }
      if (s == EntryState.FAILED) {
        failed++;
      }
    }
    return new UploadProgress(
        pending, failed, budget.used(), bytesDone.get(), current, lastError, budget.blocked());
  }

  @Override
  public List<PendingFile> drain(Duration timeout, Consumer<UploadProgress> listener)
      throws InterruptedException {
    List<CompletableFuture<Void>> tasks = new ArrayList<>();
    for (Entry e : entries.values()) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      tasks.add(done);
      uploads.execute(
          () -> {
            try {
              flushAndWait(e);
            } catch (IOException | RuntimeException ex) {
              log.debug("drain: {} failed", e.path, ex);
            } finally {
              done.complete(null);
              listener.accept(progress());
            }
          });
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(tasks.toArray(new CompletableFuture[0]));
    try {
      all.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException ex) {
      log.warn("drain: not every upload finished within {}", timeout);
    }
    List<PendingFile> left = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.state.pending() && !e.discarded) {
        left.add(view(e));
      }
    }
    return left;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      List<PendingFile> left = drain(Duration.ofMinutes(1), p -> {});
      if (!left.isEmpty()) {
        log.warn(
            "cache closed with {} uploads pending; they resume at the next start", left.size());
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
    closed = true;
    for (Entry e : entries.values()) {
      e.lock.lock();
      try {
        e.cancelScheduled();
      } finally {
        e.lock.unlock();
      }
      e.staging.close();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the write-back cache is closed");
    }
  }

  private long nowNanos() {
    Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private IOException diskFull(IOException ex) {
    return CacheFullException.isDiskFull(ex) ? new CacheFullException(config.cacheDir(), ex) : ex;
  }
}
