package org.deoss.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * ended) gets whole segments, decoded once off the FUSE thread, with the next {@link
 * SegmentCache#readAhead} segments asked for in parallel before they are needed. The handle keeps
 * the segments of its window itself (the current one, the one before for reads the kernel sends out
 * of order, and those ahead), so an eviction from the shared cache never makes it fetch a segment
 * twice, and it holds at most that many whatever the file size. A reader that jumps around (a
 * database, {@code fio --rw=randread}, a video player seeking) gets each read from the cached
 * encryption chunks that cover it, only the missing chunks fetched from the data fragments that
 * hold them ({@link SegmentCache#read}). The guess only changes speed, never the bytes.
 */
final class CommittedFile implements OpenFile {
  private final FsPath path;
  private final ObjectRecord record;
  private final DataKey key;
  private final SegmentCache segments;
  private final int ahead;

  /**
   * A stream reads one segment ahead until it has passed this offset, then the whole window: a
   * program that looks at the start of a file ({@code file}, a thumbnailer) loads two segments, not
   * the window.
   */
  private static final long RAMP = 1 << 20;

  /** How far a read may start from where the previous one ended and still count as streaming. */
  private static final long NEAR = 512 * 1024;

  /** End of the last read, or -1 before the first. */
  private final AtomicLong lastEnd = new AtomicLong(-1);

  /** Reads in a row that started near the previous end. */
  private final AtomicInteger streak = new AtomicInteger();

  /**
   * The streaming window: {@code window[i % window.length]} holds segment {@code windowIndex[i %
   * window.length]}, or null. Guarded by {@code this}.
   */
  private final CompletableFuture<?>[] window;

  private final int[] windowIndex;

  CommittedFile(FsPath path, ObjectRecord record, DataKey key, SegmentCache segments) {
    this.path = path;
    this.record = record;
    this.key = key;
    this.segments = segments;
    this.ahead = segments.readAhead(record.manifest().segmentSize());
    this.window = new CompletableFuture<?>[ahead + 2];
    this.windowIndex = new int[ahead + 2];
    java.util.Arrays.fill(windowIndex, -1);
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
        byte[] seg = await(windowed(m, index, pos >= RAMP ? ahead : 1));
        dst.put(seg, within, n);
      } else {
        int limit = dst.limit();
        dst.limit(dst.position() + n);
        try {
          n = segments.read(m, key, index, within, dst);
        } finally {
          dst.limit(limit);
        }
      }
      done += n;
      pos += n;
    }
    lastEnd.set(pos);
    return done;
  }

  /**
   * Segment {@code index} from the window, which moves so that it holds {@code index - 1} to {@code
   * index + depth}: the segments ahead are asked for now, in parallel.
   */
  @SuppressWarnings("unchecked")
  private synchronized CompletableFuture<byte[]> windowed(ObjectManifest m, int index, int depth) {
    int count = m.segments().size();
    for (int s = Math.max(0, index - 1); s <= index + depth && s < count; s++) {
      int slot = s % window.length;
      if (windowIndex[slot] != s || window[slot].isCompletedExceptionally()) {
        windowIndex[slot] = s;
        window[slot] = segments.segment(m, key, s);
      }
    }
    return (CompletableFuture<byte[]>) window[index % window.length];
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

  private static byte[] await(CompletableFuture<byte[]> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while reading");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(String.valueOf(e.getCause()), e.getCause());
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
  public synchronized void close() {
    java.util.Arrays.fill(window, null);
    java.util.Arrays.fill(windowIndex, -1);
  }
}
