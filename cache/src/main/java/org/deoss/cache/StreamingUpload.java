package org.deoss.cache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.pipeline.ObjectWriter;
import org.deoss.core.pipeline.ProgressListener;
import org.deoss.core.pipeline.WriteResult;

/**
 * The upload of a new object that starts while the object is still being written, so that the time
 * to commit a large file is about the larger of writing and uploading it, not their sum.
 *
 * <p>The pipeline writer reads the staging file as a stream that waits for more bytes until a flush
 * fixes the size to commit ({@link #finish}); it encodes and stores each segment as soon as the
 * file holds it. Nothing is committed here: the flush commits the result ({@link Committer}) like
 * any other upload, so what close and fsync promise does not change, and a crash leaves the usual
 * sealed record to replay. The stream breaks ({@link #result} fails, and the flush uploads the file
 * the ordinary way) when a write or a truncate changes a byte it has already read, or when the
 * entry goes away. Its fragments are then orphans, as those of any upload that does not commit.
 *
 * <p>Every field is guarded by the entry's lock unless it says otherwise; {@link #wrote}, {@link
 * #truncated}, {@link #abandon} and {@link #finish} run with it held.
 */
final class StreamingUpload {
  /** A new file starts uploading once it holds this much (one segment of the default size). */
  static final long START_AT = 32L << 20;

  /** Most bytes read from the staging file at once. */
  private static final int MAX_READ = 4 << 20;

  /**
   * A reader waiting for bytes is woken once this many (or all it asked for) are there, not by
   * every write of the kernel's 128 KiB: fewer context switches and lock hand-overs.
   */
  private static final int WAKE_AT = 1 << 20;

  final ObjectId id;
  final DataKey key;
  final CompletableFuture<WriteResult> result = new CompletableFuture<>();
  private final Entry e;
  private final Condition changed;
  private final java.util.concurrent.atomic.AtomicBoolean started =
      new java.util.concurrent.atomic.AtomicBoolean();
  private long consumed;

  /**
   * Bytes given back to the dirty budget as stored (see the cache's {@code releaseStored}); written
   * under the entry's lock, read by {@link #stalled} without it.
   */
  volatile long released;

  private volatile long releasedAtLastLook = -1;

  private long end = -1;
  private String broken;

  /**
   * Bytes the waiting reader asks for (0 when it does not wait): a write wakes it once they are
   * there.
   */
  private long wanted;

  StreamingUpload(Entry e, ObjectId id, DataKey key) {
    this.e = e;
    this.id = id;
    this.key = key;
    this.changed = e.lock.newCondition();
  }

  /** Whether a new object of {@code size} bytes so far is worth uploading while it is written. */
  static boolean worthStarting(Entry e) {
    return e.baseVersion == 0 && e.stream == null && e.size >= START_AT;
  }

  /**
   * Runs the upload on the calling thread until the flush fixes the size, unless another thread
   * already runs it: the upload task, or the flush itself when that task is still queued (so a
   * flush never waits for a task queued behind it).
   */
  void runOnce(ObjectWriter writer, ProgressListener progress) {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    try {
      result.complete(writer.write(id, key, stream(), progress));
    } catch (IOException | RuntimeException ex) {
      result.completeExceptionally(ex);
    }
  }

  /**
   * Never runs this upload: {@link #result} fails at once, so backpressure flushes the entry and
   * the flush uploads it the ordinary way. Safe with or without the entry lock.
   */
  void refuse(String why) {
    if (started.compareAndSet(false, true)) {
      result.completeExceptionally(new IOException("no upload while writing: " + why));
    }
  }

  /**
   * For the backpressure hook, which looks about once a second while a writer waits: true when this
   * upload has given nothing back since the last look (or has ended), so that waiting for it could
   * last forever (a dirty bound smaller than what the writer must write before a segment is stored)
   * and the entry should be flushed instead.
   */
  boolean stalled() {
    if (result.isDone()) {
      return true;
    }
    long now = released;
    boolean same = now == releasedAtLastLook;
    releasedAtLastLook = now;
    return same;
  }

  /** A write of {@code [offset, offset + length)}: breaks the stream if it read any of it. */
  void wrote(long offset, long length) {
    if (length > 0 && offset < consumed) {
      abandon("a write at " + offset + " changed bytes already uploaded");
    } else if (wanted > 0 && e.size - consumed >= wanted) {
      changed.signalAll();
    }
  }

  /** A truncate to {@code size}: breaks the stream if it read past it. */
  void truncated(long size) {
    if (size < consumed) {
      abandon("a truncate to " + size + " cut bytes already uploaded");
    }
    changed.signalAll();
  }

  /** Stops the upload: {@link #result} fails with {@code why}. */
  void abandon(String why) {
    if (broken == null && end < 0) {
      broken = why;
    }
    changed.signalAll();
  }

  /** The flush commits the first {@code size} bytes: the stream ends there. */
  void finish(long size) {
    if (broken == null && size < consumed) {
      broken = "the size to commit, " + size + ", is below what was uploaded";
    }
    end = size;
    changed.signalAll();
  }

  /** What the pipeline writer reads: the staging file up to the size {@link #finish} fixes. */
  InputStream stream() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        long from;
        int n;
        e.lock.lock();
        try {
          long limit;
          while (true) {
            if (broken == null && (e.discarded || e.dropped)) {
              broken = "the file was removed";
            }
            if (broken != null) {
              throw new IOException("upload while writing " + e.path + " stopped: " + broken);
            }
            limit = end >= 0 ? end : e.size;
            if (consumed < limit) {
              break;
            }
            if (end >= 0) {
              return -1;
            }
            wanted = Math.min(len, WAKE_AT);
            try {
              changed.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
              Thread.currentThread().interrupt();
              throw new java.io.InterruptedIOException("upload of " + e.path + " interrupted");
            } finally {
              wanted = 0;
            }
          }
          n = (int) Math.min(Math.min(len, MAX_READ), limit - consumed);
          from = consumed;
          consumed += n; // from here a write into these bytes breaks the stream (see wrote)
        } finally {
          e.lock.unlock();
        }
        // Outside the lock, so the writer is not held up: bytes below e.size are in the file, and
        // one that a write changes while we read breaks the stream, which the next read reports
        // (the writer always reads once more before it completes, and writes wait while the flush
        // that ends the stream runs).
        e.readStaging(from, ByteBuffer.wrap(b, off, n));
        return n;
      }
    };
  }
}
