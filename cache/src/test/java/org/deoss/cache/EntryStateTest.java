package org.deoss.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EntryStateTest {
  @Test
  void transitions_areExactlyTheDiagram() {
    Set<String> allowed =
        Set.of(
            "CLEAN>DIRTY",
            "DIRTY>DIRTY",
            "DIRTY>FLUSHING",
            "FLUSHING>CLEAN",
            "FLUSHING>FAILED",
            "FAILED>FLUSHING",
            "FAILED>DIRTY");
    for (EntryState from : EntryState.values()) {
      for (EntryState to : EntryState.values()) {
        boolean expected = allowed.contains(from + ">" + to);
        assertEquals(expected, from.canMoveTo(to), from + " -> " + to);
        if (!expected) {
          IllegalStateException e =
              assertThrows(IllegalStateException.class, () -> from.moveTo(to));
          assertTrue(e.getMessage().contains(from + " to " + to), e.getMessage());
        }
      }
    }
  }

  @Test
  void config_badValues_areNamed() {
    CacheConfig ok = CacheConfig.defaults(Path.of("cache"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ok.withMaxDirtyBytes(0));
    assertTrue(e.getMessage().startsWith("cache.maxDirtyBytes = 0"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> ok.withFlushDelay(Duration.ofSeconds(-1)));
    assertTrue(e.getMessage().startsWith("cache.flushDelay = PT-1S"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ok.withSegmentCacheBytes(-5));
    assertTrue(e.getMessage().startsWith("cache.segmentCacheBytes = -5"), e.getMessage());
  }

  @Test
  void diskFull_isRecognisedAndNamesTheCacheDirectory() {
    java.io.IOException enospc = new java.io.IOException("No space left on device");
    assertTrue(CacheFullException.isDiskFull(enospc));
    CacheFullException e = new CacheFullException(Path.of("/var/cache/deoss"), enospc);
    assertTrue(e.getMessage().contains("/var/cache/deoss"), e.getMessage());
    assertTrue(!CacheFullException.isDiskFull(new java.io.IOException("Permission denied")));
  }
}
