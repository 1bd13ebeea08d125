package org.deoss.cache;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.deoss.core.access.ObjectKeys;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.ledger.ObjectRecord;

/**
 * Fills the staging file of an entry from its base version, segment by segment, on demand. Every
 * method runs with the entry's lock held by the caller.
 */
final class BaseFill {
  private final ObjectStore store;
  private final SegmentCache segments;
  private final Path cacheDir;

  BaseFill(ObjectStore store, SegmentCache segments, Path cacheDir) {
    this.store = store;
    this.segments = segments;
    this.cacheDir = cacheDir;
  }

  void ensurePresent(Entry e, long from, long to) throws IOException {
    if (e.segmentSize == 0 || from >= to) {
      return;
    }
    int first = (int) (from / e.segmentSize);
    int last = (int) ((to - 1) / e.segmentSize);
    for (int s = first; s <= last; s++) {
      if (!e.isPresent(s)) {
        fill(e, s);
      }
    }
  }

  /** Copies the base bytes of segment {@code s} into the staging file. Holds the entry lock. */
  void fill(Entry e, int s) throws IOException {
    Entry.Base base = base(e);
    byte[] plain;
    try {
      plain = segments.segment(base.manifest(), base.key(), s).get();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading " + e.path);
    } catch (ExecutionException ex) {
      throw new IOException(
          "reading segment " + s + " of " + e.path + " failed: " + ex.getCause(), ex.getCause());
    }
    long segStart = (long) s * e.segmentSize;
    int n = (int) Math.min(plain.length, e.baseValid - segStart);
    try {
      e.writeStaging(segStart, ByteBuffer.wrap(plain, 0, n));
    } catch (IOException ex) {
      throw diskFull(ex);
    }
    e.present.set(s);
  }

  /** The base version of {@code e}, read from the ledger after a replay. Holds the entry lock. */
  Entry.Base base(Entry e) throws IOException {
    if (e.base != null) {
      return e.base;
    }
    Optional<ObjectRecord> rec =
        store.ledger().object(e.path.owner(), e.path.bucket(), e.path.key());
    if (rec.isEmpty() || rec.get().version() != e.baseVersion) {
      throw new VersionConflictException(
          e.path,
          e.path
              + " changed on the ledger: cached bytes are based on version "
              + e.baseVersion
              + ", the ledger has "
              + rec.map(r -> "version " + r.version()).orElse("no such object"),
          null);
    }
    ObjectRecord r = rec.get();
    DataKey key =
        ObjectKeys.open(r.access(), r.manifest().objectId(), store.account(), store.encryption());
    e.base = new Entry.Base(r.version(), r.manifest(), r.access(), key);
    return e.base;
  }

  IOException diskFull(IOException ex) {
    return CacheFullException.isDiskFull(ex) ? new CacheFullException(cacheDir, ex) : ex;
  }
}
