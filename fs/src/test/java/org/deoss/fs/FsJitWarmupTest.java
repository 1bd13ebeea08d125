package org.deoss.fs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FsJitWarmupTest {
  @Test
  void run_goesThroughCipherCodeAndFragmentIds_withoutFailing() {
    // The same inputs give the same result: nothing depends on time or a random source.
    int a = assertDoesNotThrow(() -> JitWarmup.run(20, 2, 20));
    int b = assertDoesNotThrow(() -> JitWarmup.run(20, 2, 20));
    assertEquals(a, b);
  }

  @Test
  void start_runsOncePerProcess() {
    Thread first = JitWarmup.start();
    // a second mount in the same process starts nothing more
    org.junit.jupiter.api.Assertions.assertSame(first, JitWarmup.start());
    assertEquals("deoss-jit-warmup", first.getName());
  }
}
