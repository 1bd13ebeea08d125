package org.deoss.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.deoss.cache.SegmentCache;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.manifest.ObjectManifest;

/**
 * A read-only open of a committed object that the cache does not hold: reads go through the segment
 * cache without staging anything on disk. Reads are positional and keep no cursor, so the kernel's
 * concurrent, out-of-order read-ahead is safe. Reading a segment asks for the next one in the
 * background.
 */
final class CommittedFile implements OpenFile {
  private final FsPath path;
  private final ObjectRecord record;
  private final DataKey key;
  private final SegmentCache segments;

  CommittedFile(FsPath path, ObjectRecord record, DataKey key, SegmentCache segments) {
    this.path = path;
    this.record = record;
    this.key = key;
    this.segments = segments;
  }

  @Override
  public FsPath path() {
    return path;
  }

  @Override
  public int read(long offset, ByteBuffer dst) throws IOException {
    ObjectManifest m = record.manifest();
    int done = 0;
    long pos = offset;
    while (dst.hasRemaining() && pos < m.size()) {
      int index = m.segmentOf(pos);
      byte[] seg = segment(m, index);
      if (index + 1 < m.segments().size()) {
        segments.segment(m, key, index + 1); // read ahead; its failure shows when it is read
      }
      int within = (int) (pos - (long) index * m.segmentSize());
      int n = Math.min(dst.remaining(), seg.length - within);
      if (n <= 0) {
        break;
      }
      dst.put(seg, within, n);
      done += n;
      pos += n;
    }
    return done;
  }

  private byte[] segment(ObjectManifest m, int index) throws IOException {
    try {
      return segments.segment(m, key, index).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e;
    }
  }

  @Override
  public void write(long offset, ByteBuffer src) throws FsException {
    throw new FsException(ru.serce.jnrfuse.ErrorCodes.EBADF(), path + " is open read-only");
  }

  @Override
  public void truncate(long size) throws FsException {
    throw new FsException(ru.serce.jnrfuse.ErrorCodes.EBADF(), path + " is open read-only");
  }

  @Override
  public void fsync() {}

  @Override
  public long size() {
    return record.size();
  }

  @Override
  public PosixAttributes attributes() {
    return record.attributes();
  }

  @Override
  public org.deoss.cache.FileHandle cacheHandle() {
    return null;
  }

  @Override
  public void close() {}
}
