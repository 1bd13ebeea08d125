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
 * cache without staging anything on disk. Reads are positional, so the kernel's concurrent,
 * out-of-order read-ahead is safe.
 *
 * <p>Two ways to read. A reader that streams (its reads start at 0 or near where its previous ones
 * ended) gets whole segments, decoded once, cached, with the next segment asked for in the
 * background. A reader that jumps around (a database, {@code fio --rw=randread}, a video player
 * seeking) gets each read as a small range: only the encrypted chunks that cover it are fetched
 * from the data fragments that hold them ({@link SegmentCache#range}), unless the segment is cached
 * already. The guess only changes speed, never the bytes.
 */
final class CommittedFile implements OpenFile {
  private final FsPath path;
  private final ObjectRecord record;
  private final DataKey key;
  private final SegmentCache segments;

  /** How far a read may start from where the previous one ended and still count as streaming. */
  private static final long NEAR = 512 * 1024;

  /** End of the last read, or -1 before the first. */
  private final java.util.concurrent.atomic.AtomicLong lastEnd =
      new java.util.concurrent.atomic.AtomicLong(-1);

  /** Reads in a row that started near the previous end. */
  private final java.util.concurrent.atomic.AtomicInteger streak =
      new java.util.concurrent.atomic.AtomicInteger();

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
    boolean streaming = streaming(offset);
    int done = 0;
    long pos = offset;
    while (dst.hasRemaining() && pos < m.size()) {
      int index = m.segmentOf(pos);
      int within = (int) (pos - (long) index * m.segmentSize());
      int plain = m.segments().get(index).plainLength();
      int n = Math.min(dst.remaining(), plain - within);
      if (n <= 0) {
        break;
      }
      if (streaming) {
        byte[] seg = await(segments.segment(m, key, index));
        if (index + 1 < m.segments().size()) {
          segments.segment(m, key, index + 1); // read ahead; its failure shows when it is read
        }
        dst.put(seg, within, n);
      } else {
        dst.put(await(segments.range(m, key, index, within, n)));
      }
      done += n;
      pos += n;
    }
    lastEnd.set(pos);
    return done;
  }

  /** Whether a read at {@code offset} looks like part of a stream (see the class comment). */
  private boolean streaming(long offset) {
    long prev = lastEnd.get();
    if (prev < 0 && offset == 0) {
      streak.set(2); // reading from the start: most files are read whole
      return true;
    }
    if (prev >= 0 && Math.abs(offset - prev) <= NEAR) {
      return streak.incrementAndGet() >= 2;
    }
    streak.set(0);
    return false;
  }

  private static byte[] await(java.util.concurrent.CompletableFuture<byte[]> f) throws IOException {
    try {
      return f.join();
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
