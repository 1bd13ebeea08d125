package org.deoss.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class LoadLimiterTest {
  @Test
  void loadsBeyondTheLimit_startInOrder_asOthersEnd_alsoWhenOneFails() throws Exception {
    LoadLimiter limiter = new LoadLimiter(2);
    List<CompletableFuture<String>> started = new ArrayList<>();
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      results.add(
          limiter.submit(
              () -> {
                CompletableFuture<String> f = new CompletableFuture<>();
                started.add(f);
                return f;
              }));
    }
    assertEquals(2, started.size(), "two at once");
    started.get(0).completeExceptionally(new java.io.IOException("miner down"));
    assertEquals(3, started.size(), "a failure frees its place");
    ExecutionException e = assertThrows(ExecutionException.class, () -> results.get(0).get());
    assertEquals("miner down", e.getCause().getMessage());
    started.get(2).complete("c");
    assertEquals(4, started.size());
    assertEquals("c", results.get(2).get());
    assertFalse(results.get(3).isDone());
    started.get(1).complete("b");
    started.get(3).complete("d");
    assertEquals("d", results.get(3).get());
    assertEquals(0, limiter.running());
  }

  @Test
  void aLoadThatThrows_failsItsResult_andFreesItsPlace() {
    LoadLimiter limiter = new LoadLimiter(1);
    CompletableFuture<String> r =
        limiter.submit(
            () -> {
              throw new IllegalStateException("no reader");
            });
    assertTrue(r.isCompletedExceptionally());
    assertEquals(0, limiter.running());
  }

  @Test
  void limitBelowOne_isRefusedNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new LoadLimiter(0));
    assertTrue(e.getMessage().contains("= 0"), e.getMessage());
  }
}
