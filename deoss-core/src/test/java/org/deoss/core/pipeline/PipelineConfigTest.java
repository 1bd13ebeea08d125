package org.deoss.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {
  private static final int MIB = 1 << 20;

  private static void rejects(String key, Supplier<PipelineConfig> build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
    assertTrue(e.getMessage().startsWith("pipeline." + key + " = "), e.getMessage());
  }

  @Test
  void defaults_areTheDesignsParameters() {
    PipelineConfig c = PipelineConfig.defaults();
    assertEquals(32 * MIB, c.segmentSize());
    assertEquals(4, c.dataShards());
    assertEquals(8, c.parityShards());
    assertEquals(12, c.successThreshold());
  }

  @Test
  void badValues_nameTheKey() {
    Duration d = Duration.ZERO;
    rejects("segmentSize", () -> new PipelineConfig(MIB - 1, 4, 8, 65536, 12, 1, d, 3));
    rejects("segmentSize", () -> new PipelineConfig(64 * MIB + 1, 4, 8, 65536, 12, 1, d, 3));
    rejects("dataShards", () -> new PipelineConfig(MIB, 0, 8, 65536, 12, 1, d, 3));
    rejects("parityShards", () -> new PipelineConfig(MIB, 4, 0, 65536, 4, 1, d, 3));
    rejects("dataShards+parityShards", () -> new PipelineConfig(MIB, 200, 56, 65536, 256, 1, d, 3));
    rejects("chunkSize", () -> new PipelineConfig(MIB, 4, 8, 1000, 12, 1, d, 3));
    rejects("successThreshold", () -> new PipelineConfig(MIB, 4, 8, 65536, 5, 1, d, 3));
    rejects("successThreshold", () -> new PipelineConfig(MIB, 4, 8, 65536, 13, 1, d, 3));
    rejects("segmentsInFlight", () -> new PipelineConfig(MIB, 4, 8, 65536, 12, 0, d, 3));
    rejects(
        "hedgeDelay", () -> new PipelineConfig(MIB, 4, 8, 65536, 12, 1, Duration.ofMillis(-1), 3));
    rejects("putAttempts", () -> new PipelineConfig(MIB, 4, 8, 65536, 12, 1, d, 0));
  }

  @Test
  void successThreshold_neverBelowKPlusTwo_butAllowsNWhenSmaller() {
    assertEquals(
        6, new PipelineConfig(MIB, 4, 8, 65536, 6, 1, Duration.ZERO, 3).successThreshold());
    // k=4, m=1: k+2 exceeds n=5, so the floor is n.
    assertEquals(
        5, new PipelineConfig(MIB, 4, 1, 65536, 5, 1, Duration.ZERO, 3).successThreshold());
    rejects("successThreshold", () -> new PipelineConfig(MIB, 4, 1, 65536, 4, 1, Duration.ZERO, 3));
  }
}
