package org.deoss.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.pipeline.ObjectReader;

/**
 * Decoded plaintext segments in memory, bounded by bytes. A segment is keyed by its object id and
 * the hash of its encrypted bytes, so a segment that a new version kept unchanged stays cached
 * across versions, and a changed one can never be served stale. Concurrent readers of one segment
 * share one load; a failed load is not cached.
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

  /** The plaintext of segment {@code index} of {@code manifest}. */
  CompletableFuture<byte[]> segment(ObjectManifest manifest, DataKey key, int index);

  /**
   * Plaintext bytes {@code [from, from + length)} of segment {@code index}: sliced from the segment
   * when this cache holds it (or is loading it), else read as a small range ({@link
   * ObjectReader#readRange}: only the chunks covering it) without loading or caching the segment.
   * For random reads; sequential readers use {@link #segment}.
   */
  CompletableFuture<byte[]> range(
      ObjectManifest manifest, DataKey key, int index, int from, int length);

  /** Bytes of plaintext held now. */
  long weightedBytes();

  /** Forgets everything. */
  void invalidateAll();
}
