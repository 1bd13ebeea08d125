package org.deoss.core.pipeline;

import java.util.List;
import org.deoss.core.manifest.SegmentRef;

/**
 * A stored segment: its manifest entry, and the fragment indices that no miner took (at most n
 * minus the success threshold; they are repair work, recorded at their planned miner).
 */
public record UploadedSegment(SegmentRef ref, List<Integer> missing) {
  public UploadedSegment {
    missing = List.copyOf(missing);
  }
}
