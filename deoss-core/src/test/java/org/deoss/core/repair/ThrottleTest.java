package org.deoss.core.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottleTest {
  @Test
  void bytesPerSecond_holdsTheAverageRate_onAFakeClock() throws InterruptedException {
    AtomicLong now = new AtomicLong();
    AtomicLong slept = new AtomicLong();
    Throttle t =
        Throttle.bytesPerSecond(
            1_000_000,
            now::get,
            n -> {
              slept.addAndGet(n);
              now.addAndGet(n);
            });
    for (int i = 0; i < 100; i++) {
      t.acquire(100_000); // 10 MB at 1 MB/s, the first second's burst included
    }
    double seconds = now.get() / 1e9;
    assertTrue(seconds >= 8.9 && seconds <= 9.1, "took " + seconds + " s");
    assertEquals(now.get(), slept.get());
  }

  @Test
  void bytesPerSecond_refusesANonPositiveRate_namingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Throttle.bytesPerSecond(0, () -> 0, n -> {}));
    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
  }
}
