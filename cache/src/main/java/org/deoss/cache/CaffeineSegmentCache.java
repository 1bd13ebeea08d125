package org.deoss.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.hash.Hash256;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.pipeline.ObjectReader;

/** {@link SegmentCache} on a Caffeine async cache weighed by plaintext length. */
final class CaffeineSegmentCache implements SegmentCache {
  /** A segment: the object and the hash of the encrypted segment (unique per content). */
  record Key(ObjectId object, Hash256 segmentHash, int index) {}

  private final ObjectReader reader;
  private final AsyncCache<Key, byte[]> cache;

  CaffeineSegmentCache(ObjectReader reader, long maxBytes, Executor maintenance) {
    this.reader = Objects.requireNonNull(reader, "reader");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("cache.segmentCacheBytes = " + maxBytes + ": negative");
    }
    this.cache =
        Caffeine.newBuilder()
            .executor(maintenance)
            .maximumWeight(maxBytes)
            .<Key, byte[]>weigher((k, v) -> v.length)
            .buildAsync();
  }

  @Override
  public CompletableFuture<byte[]> segment(ObjectManifest manifest, DataKey key, int index) {
    if (index < 0 || index >= manifest.segments().size()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "segment " + index + " outside 0.." + (manifest.segments().size() - 1)));
    }
    Key k = new Key(manifest.objectId(), manifest.segments().get(index).hash(), index);
    return cache.get(k, (kk, executor) -> reader.readSegment(manifest, key, index));
  }

  @Override
  public CompletableFuture<byte[]> range(
      ObjectManifest manifest, DataKey key, int index, int from, int length) {
    if (index < 0 || index >= manifest.segments().size()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "segment " + index + " outside 0.." + (manifest.segments().size() - 1)));
    }
    Key k = new Key(manifest.objectId(), manifest.segments().get(index).hash(), index);
    CompletableFuture<byte[]> held = cache.getIfPresent(k);
    if (held != null) {
      return held.thenApply(
          whole -> {
            if (from < 0 || length < 0 || from > whole.length - length) {
              throw new IllegalArgumentException(
                  "range [" + from + ", +" + length + ") is not inside segment " + index);
            }
            return java.util.Arrays.copyOfRange(whole, from, from + length);
          });
    }
    return reader.readRange(manifest, key, index, from, length);
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
}
