package org.deoss.packaging;

import org.deoss.core.pipeline.PipelineConfig;

/**
 * The pipeline settings of a one-object-at-a-time client (the {@code put} command, {@code deoss
 * bench network}): the defaults, with as many segments uploading while the next is encoded as the
 * heap allows. One more segment in flight lets the miners receive a segment while they flush the
 * previous one, which on a busy machine roughly doubles the put rate of a large object (see
 * docs/decisions.md, "Segments in flight").
 */
final class Pipelines {
  /** Beyond three the put rate no longer grows on the reference machine. */
  static final int MAX_IN_FLIGHT = 3;

  private Pipelines() {}

  /** The defaults with segments in flight for this JVM's maximum heap. */
  static PipelineConfig forThisJvm() {
    return forHeap(Runtime.getRuntime().maxMemory());
  }

  /**
   * The defaults with {@code clamp(heap / 4 / workspace - 1, 1, MAX_IN_FLIGHT)} segments in flight,
   * where a workspace (one encoded segment: n fragments of segment / k bytes) is n / k segments: at
   * most a quarter of the heap goes to encoded segments.
   */
  static PipelineConfig forHeap(long maxHeapBytes) {
    PipelineConfig d = PipelineConfig.defaults();
    long workspace = (long) d.segmentSize() * d.totalShards() / d.dataShards();
    long fit = maxHeapBytes / 4 / workspace - 1;
    int inFlight = (int) Math.max(1, Math.min(MAX_IN_FLIGHT, fit));
    return new PipelineConfig(
        d.segmentSize(),
        d.dataShards(),
        d.parityShards(),
        d.chunkSize(),
        d.successThreshold(),
        inFlight,
        d.hedgeDelay(),
        d.putAttempts());
  }
}
