package org.deoss.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.pipeline.ObjectReader;

/**
 * Decoded plaintext in memory, bounded by bytes: whole segments for readers that stream, and single
 * encryption chunks (the smallest unit that can be verified, 64 KiB by default) for readers that
 * jump around. Both are keyed by the object id and the hash of the encrypted segment, so what a new
 * version kept unchanged stays cached across versions, and what changed can never be served stale.
 * Concurrent readers of one segment or chunk share one load; a failed load is not cached.
 *
 * <p>The arrays returned are shared: callers must not modify them. Thread-safe.
 */
public interface SegmentCache {

  /**
   * A cache loading through {@code reader}, holding at most {@code maxBytes} of plaintext.
   *
   * @param maintenance runs Caffeine's eviction work ({@code Runnable::run} in tests)
   */
  static SegmentCache create(ObjectReader reader, long maxBytes, Executor maintenance) {
    return new CaffeineSegmentCache(reader, maxBytes, maintenance);
  }

  /**
   * The plaintext of segment {@code index} of {@code manifest}. The load runs off the calling
   * thread (fetch on the network, decode on the reader's executor); a caller that streams asks for
   * the next segments before it needs them.
   */
  CompletableFuture<byte[]> segment(ObjectManifest manifest, DataKey key, int index);

  /**
   * Copies plaintext of segment {@code index} from offset {@code from} into {@code dst}, as many
   * bytes as fit or as the segment holds, and returns the count. Sliced from the segment when this
   * cache holds it (or is loading it); else from the cached chunks that cover the range, fetching
   * the missing ones alone ({@link ObjectReader#readRange}) without loading the segment. For random
   * reads; sequential readers use {@link #segment}. Blocks the calling thread until the bytes are
   * there; allocates nothing when they are cached.
   *
   * @throws IOException when the bytes cannot be read (the reader's failure)
   */
  int read(ObjectManifest manifest, DataKey key, int index, int from, ByteBuffer dst)
      throws IOException;

  /**
   * Plaintext bytes {@code [from, from + length)} of segment {@code index} as a new array: {@link
   * #read} into a fresh buffer, asynchronously.
   */
  CompletableFuture<byte[]> range(
      ObjectManifest manifest, DataKey key, int index, int from, int length);

  /**
   * How many segments of {@code segmentSize} bytes a streaming reader should ask for ahead of the
   * one it reads: what a quarter of this cache holds, 1 to 3.
   */
  int readAhead(int segmentSize);

  /** Bytes of plaintext held now. */
  long weightedBytes();

  /** Forgets everything. */
  void invalidateAll();
}
