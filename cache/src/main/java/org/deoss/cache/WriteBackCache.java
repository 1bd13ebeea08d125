package org.deoss.cache;

import com.github.benmanes.caffeine.cache.Scheduler;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import org.deoss.core.ledger.PosixAttributes;

/**
 * Files being written, staged on local disk and uploaded in the background.
 *
 * <p><b>Durability.</b> A file is <em>acknowledged</em> when {@link FileHandle#close} or {@link
 * FileHandle#fsync} returns. After close its bytes and a sealed journal record are written to the
 * cache directory (in the kernel's page cache, not fsynced, as a local file system does on close):
 * they survive a crash or {@code kill -9} of the process, not a power loss before the upload. After
 * fsync the new version is committed on the ledger, which fsyncs its journal before it answers: it
 * survives anything. An acknowledged file is committed on the ledger eventually, across crashes:
 * {@link #open(CacheConfig, ObjectStore, SegmentCache, MetadataCache, Scheduler, Executor, Clock)}
 * finds the journal of a previous run and queues every unfinished upload (without waiting for
 * them). Writes after the last acknowledgement are uploaded too if the staging file still holds
 * them, but may be torn, as POSIX allows for unsynced data. A failed upload keeps its staging file
 * and is retried with exponential backoff; a version conflict is kept and reported, never retried
 * blindly.
 *
 * <p><b>Threads.</b> Uploads run on the given executor; delayed flushes and retries are timed by
 * the given scheduler. All methods are thread-safe. See {@link EntryState} for the life of an
 * entry.
 */
public interface WriteBackCache extends AutoCloseable {

  /**
   * Opens the cache over {@code config.cacheDir()}, replaying its journal: every unfinished upload
   * is queued on {@code uploads} and this method returns without waiting for them.
   *
   * @param segments where the bytes of an existing object are read from (lazily, per segment)
   * @param metadata invalidated for every object this cache commits (may be a no-op cache)
   * @param clock stamps the mtime of writes
   */
  static WriteBackCache open(
      CacheConfig config,
      ObjectStore store,
      SegmentCache segments,
      MetadataCache metadata,
      Scheduler scheduler,
      Executor uploads,
      Clock clock)
      throws IOException {
    return open(config, store, segments, metadata, scheduler, uploads, clock, UploadGate.open());
  }

  /**
   * As {@link #open(CacheConfig, ObjectStore, SegmentCache, MetadataCache, Scheduler, Executor,
   * Clock)}, with uploads after close held back by {@code gate}.
   */
  static WriteBackCache open(
      CacheConfig config,
      ObjectStore store,
      SegmentCache segments,
      MetadataCache metadata,
      Scheduler scheduler,
      Executor uploads,
      Clock clock,
      UploadGate gate)
      throws IOException {
    return DefaultWriteBackCache.open(
        config, store, segments, metadata, scheduler, uploads, clock, gate);
  }

  /**
   * Opens {@code path} for reading and writing. An existing object is read lazily, segment by
   * segment, on first access; a new one is created with {@code newAttributes}.
   *
   * <p>The current version is read from the ledger itself (not the metadata cache), so a commit is
   * conditioned on the version really current when the file was opened. A create of a name that a
   * listing of its folder younger than the metadata TTL does not hold ({@link
   * MetadataCache#presence}) asks nothing: the new file's commit still requires the key to be
   * absent, so an object that another client put meanwhile is never overwritten (the upload fails
   * with a version conflict), exactly as when that client's put lands after this open.
   *
   * @param newAttributes attributes of a file this call creates (mode, owner, times); unused when
   *     the object exists
   * @throws java.nio.file.NoSuchFileException when it is missing and CREATE is not given
   * @throws java.nio.file.FileAlreadyExistsException for CREATE + EXCLUSIVE on an existing object
   */
  FileHandle open(ObjectPath path, Set<OpenFlag> flags, PosixAttributes newAttributes)
      throws IOException;

  /** Size, attributes and state of an object the cache holds (open or not yet committed). */
  Optional<PendingFile> pending(ObjectPath path);

  /** The objects the cache holds under {@code prefix}, for merging into a directory listing. */
  List<PendingFile> pendingUnder(ObjectPath prefix);

  /**
   * Changes the attributes of a cached object (open or pending). Returns false, changing nothing,
   * when the cache does not hold it: the caller then sets them on the ledger directly.
   */
  boolean setAttributes(ObjectPath path, UnaryOperator<PosixAttributes> change) throws IOException;

  /**
   * Uploads {@code path} now if the cache holds it dirty and waits for the commit (before a rename,
   * for example). Returns at once if it is clean or not cached.
   */
  void flush(ObjectPath path) throws IOException;

  /**
   * Renames a cached object within its bucket, replacing {@code to}. Returns false, changing
   * nothing, when the cache does not hold {@code from}: the caller renames on the ledger itself.
   *
   * <p>A new object not yet committed is renamed locally (no upload, no ledger call: the rsync and
   * editor pattern of writing a temporary file and renaming it over the target); its commit will
   * then require {@code to} to be still at the version it replaced. An object with a committed
   * version is renamed on the ledger at once (atomically, keeping its version) and its pending
   * bytes commit at the new key. A pending upload of {@code to} is discarded. A file acknowledged
   * by close or fsync stays acknowledged under its new name.
   */
  boolean rename(ObjectPath from, ObjectPath to) throws IOException;

  /**
   * Forgets a cached object (unlink): a scheduled upload is cancelled, a running one is waited for,
   * the staging file and journal record are deleted once no handle has it open (open handles keep
   * reading and writing their private copy, which is never uploaded). Returns whether it was held.
   * The committed version, if any, is the caller's to delete.
   */
  boolean discard(ObjectPath path) throws IOException;

  /** The upload queue now. */
  UploadProgress progress();

  /**
   * Flushes every pending entry now and waits until each is committed or has failed, reporting
   * progress to {@code listener} (called on upload threads) after each entry. Returns the entries
   * still not committed (failed ones; their bytes stay cached for the next start).
   */
  List<PendingFile> drain(Duration timeout, java.util.function.Consumer<UploadProgress> listener)
      throws InterruptedException;

  /** Drains (waiting up to a minute) and stops taking work. Pending data stays journaled. */
  @Override
  void close() throws IOException;

  /** A cached object as the file system should show it. */
  record PendingFile(
      ObjectPath path, long size, PosixAttributes attributes, EntryState state, String error) {}
}
