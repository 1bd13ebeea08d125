package org.deoss.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FsForegroundGateTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final ForegroundGate gate =
      new ForegroundGate(now::get, Duration.ofMillis(250), Duration.ofSeconds(10));

  private void advanceMillis(long ms) {
    now.addAndGet(ms * 1_000_000L);
  }

  @Test
  void holdFor_beforeAnyCall_startsAtOnce() {
    assertEquals(Duration.ZERO, gate.holdFor(Duration.ZERO));
  }

  @Test
  void holdFor_rightAfterACall_holdsUntilTheQuietTimePassed() {
    gate.touch();
    advanceMillis(100);
    assertEquals(Duration.ofMillis(150), gate.holdFor(Duration.ZERO));
    advanceMillis(150);
    assertEquals(Duration.ZERO, gate.holdFor(Duration.ofMillis(150)));
  }

  @Test
  void holdFor_underSteadyCalls_neverHoldsPastTheMaximum() {
    gate.touch();
    assertEquals(Duration.ofMillis(100), gate.holdFor(Duration.ofMillis(9_900)));
    assertEquals(Duration.ZERO, gate.holdFor(Duration.ofSeconds(10)));
  }

  @Test
  void constructor_withNegativeDurations_namesThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ForegroundGate(now::get, Duration.ofMillis(-1), Duration.ZERO));
    assertEquals("upload gate: quiet PT-0.001S and max PT0S must not be negative", e.getMessage());
  }
}
