package org.deoss.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.hash.Hash256;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.manifest.SegmentRef;
import org.deoss.core.pipeline.ObjectReader;

/**
 * {@link SegmentCache} on one Caffeine async cache of segments and chunks, weighed by plaintext
 * length. Missing chunks of one read are fetched together, as one range of the segment (header and
 * the chunks from the first to the last missing one), and split into chunk entries.
 */
final class CaffeineSegmentCache implements SegmentCache {
  /** A segment: the object and the hash of the encrypted segment (unique per content). */
  record Key(ObjectId object, Hash256 segmentHash, int index) {}

  /** One encryption chunk of a segment. */
  record ChunkKey(ObjectId object, Hash256 segmentHash, int index, int chunk) {}

  /** What an entry costs beyond its bytes (key, future, node), so small chunks count too. */
  private static final int ENTRY_OVERHEAD = 128;

  private final ObjectReader reader;
  private final long maxBytes;
  private final AsyncCache<Object, byte[]> cache;
  private final LoadLimiter loads;

  /**
   * A read that misses fetches the missing chunks of the aligned blocks of this many bytes around
   * it (four 64 KiB chunks), not only the chunks it covers.
   */
  static final int READ_AROUND = 256 * 1024;

  /** Segment loads in flight per this many bytes of cache (1 to 4). */
  private static final long BYTES_PER_LOAD = 128L << 20;

  CaffeineSegmentCache(ObjectReader reader, long maxBytes, Executor maintenance) {
    this.reader = Objects.requireNonNull(reader, "reader");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("cache.segmentCacheBytes = " + maxBytes + ": negative");
    }
    this.maxBytes = maxBytes;
    this.loads = new LoadLimiter((int) Math.max(1, Math.min(4, maxBytes / BYTES_PER_LOAD)));
    this.cache =
        Caffeine.newBuilder()
            .executor(maintenance)
            .maximumWeight(maxBytes)
            .<Object, byte[]>weigher((k, v) -> v.length + ENTRY_OVERHEAD)
            .buildAsync();
  }

  @Override
  public CompletableFuture<byte[]> segment(ObjectManifest manifest, DataKey key, int index) {
    if (index < 0 || index >= manifest.segments().size()) {
      return CompletableFuture.failedFuture(outside(manifest, index));
    }
    return cache.get(
        segmentKey(manifest, index),
        (k, e) -> loads.submit(() -> reader.readSegment(manifest, key, index)));
  }

  @Override
  public int read(ObjectManifest manifest, DataKey key, int index, int from, ByteBuffer dst)
      throws IOException {
    if (index < 0 || index >= manifest.segments().size()) {
      throw outside(manifest, index);
    }
    SegmentRef seg = manifest.segments().get(index);
    if (from < 0 || from > seg.plainLength()) {
      throw new IllegalArgumentException(
          "offset " + from + " is not inside segment " + index + " of " + seg.plainLength());
    }
    int n = Math.min(dst.remaining(), seg.plainLength() - from);
    if (n == 0) {
      return 0;
    }
    CompletableFuture<byte[]> held = cache.getIfPresent(segmentKey(manifest, index));
    if (held != null) {
      dst.put(await(held), from, n);
      return n;
    }
    int cs = manifest.chunkSize();
    int first = from / cs;
    int last = (from + n - 1) / cs;
    byte[][] parts = new byte[last - first + 1][];
    if (allHeld(manifest, index, first, last, parts)) {
      copyChunks(parts, first, cs, from, n, dst);
      return n;
    }
    // A miss: fetch the missing chunks of the aligned block(s) around the read as one range. The
    // round trip costs more than the bytes, so neighbours come almost free, and later reads near
    // this one (a database's pages, a random reader that comes back) find them cached.
    int group = Math.max(1, READ_AROUND / cs);
    int chunks = (seg.plainLength() + cs - 1) / cs;
    int lo = first / group * group;
    int hi = Math.min(chunks - 1, (last / group + 1) * group - 1);
    List<ChunkKey> keys = new ArrayList<>(hi - lo + 1);
    for (int c = lo; c <= hi; c++) {
      keys.add(chunkKey(manifest, index, c));
    }
    Map<Object, byte[]> got =
        await(cache.getAll(keys, (missing, e) -> loadChunks(manifest, key, index, missing)));
    for (int c = first; c <= last; c++) {
      parts[c - first] = got.get(keys.get(c - lo));
    }
    copyChunks(parts, first, cs, from, n, dst);
    return n;
  }

  /**
   * Whether chunks {@code first..last} of segment {@code index} are all cached and loaded; if so
   * they are in {@code out}.
   */
  private boolean allHeld(ObjectManifest m, int index, int first, int last, byte[][] out) {
    for (int c = first; c <= last; c++) {
      CompletableFuture<byte[]> f = cache.getIfPresent(chunkKey(m, index, c));
      if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
        return false;
      }
      out[c - first] = f.join();
    }
    return true;
  }

  /**
   * Copies plaintext {@code [from, from + n)} of the segment out of its chunks from {@code first}.
   */
  private static void copyChunks(
      byte[][] chunks, int first, int cs, int from, int n, ByteBuffer dst) {
    int pos = from;
    int end = from + n;
    for (int i = 0; pos < end; i++) {
      int chunkStart = (first + i) * cs;
      int stop = Math.min(end, chunkStart + cs);
      dst.put(chunks[i], pos - chunkStart, stop - pos);
      pos = stop;
    }
  }

  /**
   * Fetches the chunks {@code missing} (all of segment {@code index}) as one range from the first
   * to the last of them, and splits it; a single chunk is not copied.
   */
  private CompletableFuture<Map<Object, byte[]>> loadChunks(
      ObjectManifest manifest, DataKey key, int index, Set<?> missing) {
    int cs = manifest.chunkSize();
    int plain = manifest.segments().get(index).plainLength();
    int lo = Integer.MAX_VALUE;
    int hi = -1;
    for (Object o : missing) {
      int c = ((ChunkKey) o).chunk();
      lo = Math.min(lo, c);
      hi = Math.max(hi, c);
    }
    int from = lo * cs;
    int to = (int) Math.min(plain, (long) (hi + 1) * cs);
    return reader
        .readRange(manifest, key, index, from, to - from)
        .thenApply(
            bytes -> {
              Map<Object, byte[]> out = new HashMap<>();
              for (Object o : missing) {
                ChunkKey k = (ChunkKey) o;
                int start = k.chunk() * cs - from;
                int stop = Math.min(bytes.length, start + cs);
                out.put(
                    k,
                    start == 0 && stop == bytes.length
                        ? bytes
                        : Arrays.copyOfRange(bytes, start, stop));
              }
              return out;
            });
  }

  @Override
  public CompletableFuture<byte[]> range(
      ObjectManifest manifest, DataKey key, int index, int from, int length) {
    if (index < 0 || index >= manifest.segments().size()) {
      return CompletableFuture.failedFuture(outside(manifest, index));
    }
    int plain = manifest.segments().get(index).plainLength();
    if (from < 0 || length < 0 || from > plain - length) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "range [" + from + ", +" + length + ") is not inside segment " + index));
    }
    return CompletableFuture.supplyAsync(
        () -> {
          byte[] out = new byte[length];
          try {
            read(manifest, key, index, from, ByteBuffer.wrap(out));
          } catch (IOException e) {
            throw new java.util.concurrent.CompletionException(e);
          }
          return out;
        },
        Runnable::run);
  }

  @Override
  public int readAhead(int segmentSize) {
    long fits = maxBytes / 4 / Math.max(1, segmentSize);
    return (int) Math.max(1, Math.min(3, fits));
  }

  @Override
  public long weightedBytes() {
    cache.synchronous().cleanUp();
    return cache.synchronous().policy().eviction().orElseThrow().weightedSize().orElse(0);
  }

  @Override
  public void invalidateAll() {
    cache.synchronous().invalidateAll();
  }

  private static Key segmentKey(ObjectManifest m, int index) {
    return new Key(m.objectId(), m.segments().get(index).hash(), index);
  }

  private static ChunkKey chunkKey(ObjectManifest m, int index, int chunk) {
    return new ChunkKey(m.objectId(), m.segments().get(index).hash(), index, chunk);
  }

  private static IllegalArgumentException outside(ObjectManifest m, int index) {
    return new IllegalArgumentException(
        "segment " + index + " outside 0.." + (m.segments().size() - 1));
  }

  /** Waits for {@code f}; its failure comes out as the reader's IOException. */
  static <T> T await(CompletableFuture<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(String.valueOf(c), c);
    }
  }
}
