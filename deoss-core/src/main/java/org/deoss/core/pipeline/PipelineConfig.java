package org.deoss.core.pipeline;

import java.time.Duration;
import java.util.Objects;
import org.deoss.core.manifest.ObjectManifest;

/**
 * Parameters of the data pipeline. Immutable; {@link #validate()} runs in the constructor and names
 * the bad key and value.
 *
 * @param segmentSize plaintext bytes per segment, 1..64 MiB (default 32 MiB)
 * @param dataShards k, the fragments any segment can be rebuilt from (default 4)
 * @param parityShards m, the extra fragments (default 8)
 * @param chunkSize plaintext bytes per AES-GCM chunk (default 64 KiB)
 * @param successThreshold fragments of each segment that must be stored before a write succeeds;
 *     between min(n, k + 2) and n (default n)
 * @param segmentsInFlight segments uploading while the next one is encoded (default 1)
 * @param hedgeDelay how long a read waits for a slow fragment before asking for a parity one
 * @param putAttempts miners tried for one fragment before the fragment is given up (default 3)
 */
public record PipelineConfig(
    int segmentSize,
    int dataShards,
    int parityShards,
    int chunkSize,
    int successThreshold,
    int segmentsInFlight,
    Duration hedgeDelay,
    int putAttempts) {

  /** The defaults of the design: 32 MiB segments, RS 4+8, 64 KiB chunks, all 12 stored. */
  public static PipelineConfig defaults() {
    return new PipelineConfig(32 << 20, 4, 8, 64 << 10, 12, 1, Duration.ofMillis(500), 3);
  }

  public PipelineConfig {
    Objects.requireNonNull(hedgeDelay, "hedgeDelay");
    if (segmentSize < ObjectManifest.MIN_SEGMENT_SIZE
        || segmentSize > ObjectManifest.MAX_SEGMENT_SIZE) {
      throw bad("segmentSize", segmentSize, "must be 1 MiB .. 64 MiB");
    }
    if (dataShards < 1) {
      throw bad("dataShards", dataShards, "must be at least 1");
    }
    if (parityShards < 1) {
      throw bad("parityShards", parityShards, "must be at least 1");
    }
    int n = dataShards + parityShards;
    if (n > 255) {
      throw bad("dataShards+parityShards", n, "must be at most 255");
    }
    if (chunkSize < 4096 || chunkSize > (4 << 20) || chunkSize > segmentSize) {
      throw bad("chunkSize", chunkSize, "must be 4 KiB .. 4 MiB and at most the segment size");
    }
    int floor = Math.min(n, dataShards + 2);
    if (successThreshold < floor || successThreshold > n) {
      throw bad("successThreshold", successThreshold, "must be " + floor + " .. " + n);
    }
    if (segmentsInFlight < 1 || segmentsInFlight > 16) {
      throw bad("segmentsInFlight", segmentsInFlight, "must be 1 .. 16");
    }
    if (hedgeDelay.isNegative()) {
      throw bad("hedgeDelay", hedgeDelay, "must not be negative");
    }
    if (putAttempts < 1) {
      throw bad("putAttempts", putAttempts, "must be at least 1");
    }
  }

  private static IllegalArgumentException bad(String key, Object value, String rule) {
    return new IllegalArgumentException("pipeline." + key + " = " + value + ": " + rule);
  }

  public int totalShards() {
    return dataShards + parityShards;
  }

  public PipelineConfig withSegmentSize(int bytes) {
    return new PipelineConfig(
        bytes,
        dataShards,
        parityShards,
        Math.min(chunkSize, bytes),
        successThreshold,
        segmentsInFlight,
        hedgeDelay,
        putAttempts);
  }

  public PipelineConfig withCoding(int k, int m) {
    return new PipelineConfig(
        segmentSize, k, m, chunkSize, k + m, segmentsInFlight, hedgeDelay, putAttempts);
  }

  public PipelineConfig withSuccessThreshold(int threshold) {
    return new PipelineConfig(
        segmentSize,
        dataShards,
        parityShards,
        chunkSize,
        threshold,
        segmentsInFlight,
        hedgeDelay,
        putAttempts);
  }

  public PipelineConfig withHedgeDelay(Duration delay) {
    return new PipelineConfig(
        segmentSize,
        dataShards,
        parityShards,
        chunkSize,
        successThreshold,
        segmentsInFlight,
        delay,
        putAttempts);
  }
}
