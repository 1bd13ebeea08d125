package org.deoss.cache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the caches. Immutable; checked in the constructor, and an error names the key and the
 * bad value.
 *
 * @param cacheDir directory holding staging files and the journal (created if missing)
 * @param metadataTtl how long an object record or listing page is trusted (default 1 s)
 * @param negativeTtl how long a missing key is remembered as missing (default 1 s)
 * @param segmentCacheBytes most bytes of decoded segments kept in memory (default 256 MiB)
 * @param flushDelay how long after the last close a dirty file waits before upload (default 2 s)
 * @param maxDirtyBytes most bytes written but not yet uploaded; writers block beyond (default 1
 *     GiB)
 * @param retryInitial first wait after a failed upload (default 1 s), doubled on each failure
 * @param retryMax longest wait between retries (default 5 min)
 */
public record CacheConfig(
    Path cacheDir,
    Duration metadataTtl,
    Duration negativeTtl,
    long segmentCacheBytes,
    Duration flushDelay,
    long maxDirtyBytes,
    Duration retryInitial,
    Duration retryMax) {

  /** The defaults with the cache in {@code cacheDir}. */
  public static CacheConfig defaults(Path cacheDir) {
    return new CacheConfig(
        cacheDir,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        256L << 20,
        Duration.ofSeconds(2),
        1L << 30,
        Duration.ofSeconds(1),
        Duration.ofMinutes(5));
  }

  public CacheConfig {
    Objects.requireNonNull(cacheDir, "cache.dir");
    positiveOrZero("cache.metadataTtl", metadataTtl);
    positiveOrZero("cache.negativeTtl", negativeTtl);
    positiveOrZero("cache.flushDelay", flushDelay);
    positiveOrZero("cache.retryInitial", retryInitial);
    positiveOrZero("cache.retryMax", retryMax);
    if (segmentCacheBytes < 0) {
      throw bad("cache.segmentCacheBytes", segmentCacheBytes, "must not be negative");
    }
    if (maxDirtyBytes < 1) {
      throw bad("cache.maxDirtyBytes", maxDirtyBytes, "must be at least 1");
    }
    if (retryMax.compareTo(retryInitial) < 0) {
      throw bad("cache.retryMax", retryMax, "must be at least cache.retryInitial " + retryInitial);
    }
  }

  public CacheConfig withFlushDelay(Duration d) {
    return new CacheConfig(
        cacheDir,
        metadataTtl,
        negativeTtl,
        segmentCacheBytes,
        d,
        maxDirtyBytes,
        retryInitial,
        retryMax);
  }

  public CacheConfig withMaxDirtyBytes(long bytes) {
    return new CacheConfig(
        cacheDir,
        metadataTtl,
        negativeTtl,
        segmentCacheBytes,
        flushDelay,
        bytes,
        retryInitial,
        retryMax);
  }

  public CacheConfig withSegmentCacheBytes(long bytes) {
    return new CacheConfig(
        cacheDir,
        metadataTtl,
        negativeTtl,
        bytes,
        flushDelay,
        maxDirtyBytes,
        retryInitial,
        retryMax);
  }

  private static void positiveOrZero(String key, Duration d) {
    Objects.requireNonNull(d, key);
    if (d.isNegative()) {
      throw bad(key, d, "must not be negative");
    }
  }

  private static IllegalArgumentException bad(String key, Object value, String rule) {
    return new IllegalArgumentException(key + " = " + value + ": " + rule);
  }
}
