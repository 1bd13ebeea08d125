package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deoss.core.pipeline.PipelineConfig;
import org.junit.jupiter.api.Test;

class PipelinesTest {
  private static final long MIB = 1 << 20;

  @Test
  void forHeap_smallHeap_keepsOneSegmentInFlight() {
    assertEquals(1, Pipelines.forHeap(512 * MIB).segmentsInFlight());
    assertEquals(1, Pipelines.forHeap(64 * MIB).segmentsInFlight());
  }

  @Test
  void forHeap_growsWithTheHeap_upToTheMaximum() {
    assertEquals(2, Pipelines.forHeap(1200 * MIB).segmentsInFlight()); // 300 MiB: 3 workspaces
    assertEquals(3, Pipelines.forHeap(2048 * MIB).segmentsInFlight());
    assertEquals(Pipelines.MAX_IN_FLIGHT, Pipelines.forHeap(64L << 30).segmentsInFlight());
  }

  @Test
  void forHeap_changesNothingElse() {
    PipelineConfig d = PipelineConfig.defaults();
    PipelineConfig p = Pipelines.forHeap(4096 * MIB);
    assertEquals(d.segmentSize(), p.segmentSize());
    assertEquals(d.successThreshold(), p.successThreshold());
    assertEquals(d.hedgeDelay(), p.hedgeDelay());
  }
}
