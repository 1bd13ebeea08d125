package org.deoss.cache;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.manifest.ObjectManifest;

/**
 * One object held by the write-back cache: its staging file and what is known about it. Every field
 * is guarded by {@link #lock}; {@link #settled} is signalled on every state change.
 *
 * <p>The staging file is always {@link #size} bytes long. Segment {@code i} of it holds the real
 * bytes when it is <em>present</em>: its bit in {@link #present} is set, or it starts at or after
 * {@link #baseValid} (no byte of the base version lives there). A segment that is not present is
 * filled from the base version before it is read or partly written.
 */
final class Entry {
  /** The committed version the entry starts from. */
  record Base(long version, ObjectManifest manifest, Access access, DataKey key) {}

  final String id;

  /** Changed only by a rename, under both the cache's lock and this entry's. */
  volatile ObjectPath path;

  final Path stagingFile;
  final FileChannel staging;
  final ReentrantLock lock = new ReentrantLock();
  final Condition settled = lock.newCondition();

  volatile EntryState state;
  int handles;
  volatile long size;
  long baseValid;

  /** 0 for a new object. */
  long baseVersion;

  /** For a new object renamed over a committed one: the version it replaces (else 0). */
  long replaceVersion;

  /** A rename is moving the entry: flushes wait. */
  boolean renaming;

  /** Its files are deleted; nothing may use it. */
  boolean dropped;

  /** Segment size of the base; 0 for a new object (no per-segment tracking needed). */
  int segmentSize;

  /** Loaded lazily after a replay. */
  Base base;

  boolean dataDirty;
  BitSet touched = new BitSet();
  BitSet present = new BitSet();
  volatile PosixAttributes attributes;
  Hash256 pendingFid;

  /** Whether the journal holds a sealed record of the current bytes and attributes. */
  boolean sealed;

  long dirtyBytes;

  /**
   * The upload that started while this new object is written, until a flush takes it. Volatile for
   * the backpressure hook, which looks without the lock.
   */
  volatile StreamingUpload stream;

  Future<?> scheduled;
  Duration retryDelay;
  volatile String lastError;
  IOException failure;
  boolean discarded;

  Entry(String id, ObjectPath path, Path stagingFile, FileChannel staging) {
    this.id = id;
    this.path = path;
    this.stagingFile = stagingFile;
    this.staging = staging;
  }

  boolean isPresent(int segment) {
    return segmentSize == 0 || present.get(segment) || (long) segment * segmentSize >= baseValid;
  }

  void move(EntryState target) {
    state = state.moveTo(target);
    settled.signalAll();
  }

  /** Waits (holding the lock in between) until no flush runs on this entry. */
  void awaitNotFlushing() throws InterruptedIOException {
    while (state == EntryState.FLUSHING) {
      try {
        settled.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while " + path + " uploads");
      }
    }
  }

  void cancelScheduled() {
    if (scheduled != null) {
      scheduled.cancel(false);
      scheduled = null;
    }
  }

  JournalRecord record(boolean sealedRecord) {
    return new JournalRecord(
        id,
        path,
        sealedRecord,
        baseVersion,
        replaceVersion,
        segmentSize,
        size,
        baseValid,
        dataDirty,
        (BitSet) touched.clone(),
        (BitSet) present.clone(),
        attributes,
        pendingFid);
  }

  static Entry fromRecord(JournalRecord r, Path stagingFile, FileChannel staging) {
    Entry e = new Entry(r.id(), r.path(), stagingFile, staging);
    e.state = EntryState.DIRTY;
    e.size = r.size();
    e.baseValid = r.baseValid();
    e.baseVersion = r.baseVersion();
    e.replaceVersion = r.replaceVersion();
    e.segmentSize = r.segmentSize();
    e.dataDirty = r.dataDirty();
    e.touched = r.touched();
    e.present = r.present();
    e.attributes = r.attributes();
    e.pendingFid = r.pendingFid();
    e.sealed = true;
    return e;
  }

  /** Reads {@code n} bytes at {@code pos} into {@code dst}; bytes past the file's end read as 0. */
  void readStaging(long pos, ByteBuffer dst) throws IOException {
    while (dst.hasRemaining()) {
      int r = staging.read(dst, pos);
      if (r < 0) {
        while (dst.hasRemaining()) {
          dst.put((byte) 0);
        }
        return;
      }
      pos += r;
    }
  }

  void writeStaging(long pos, ByteBuffer src) throws IOException {
    while (src.hasRemaining()) {
      pos += staging.write(src, pos);
    }
  }

  /** Attributes with mtime and ctime set to {@code nanos}. */
  static PosixAttributes withTimes(PosixAttributes a, long mtimeNanos, long ctimeNanos) {
    Map<String, byte[]> x = new LinkedHashMap<>();
    for (String n : a.xattrNames()) {
      x.put(n, a.xattr(n));
    }
    return PosixAttributes.of(
        a.mode(), a.uid(), a.gid(), mtimeNanos, ctimeNanos, a.symlinkTarget(), x);
  }
}
