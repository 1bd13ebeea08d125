package org.deoss.cache;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * At most {@code max} segment loads at once; the others wait in order, without holding a thread. A
 * segment load holds its fragments and its plaintext on the heap (more when it hedges to parity
 * fragments), so the number in flight, not only the cache, decides how much memory reads take.
 */
final class LoadLimiter {
  private final int max;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int running;

  LoadLimiter(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("segment loads at once = " + max + ": must be at least 1");
    }
    this.max = max;
  }

  /** Starts {@code load} now if a place is free, else when one is; completes as it does. */
  <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> load) {
    CompletableFuture<T> out = new CompletableFuture<>();
    Runnable start =
        () -> {
          CompletableFuture<T> f;
          try {
            f = load.get();
          } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
          }
          f.whenComplete(
              (v, e) -> {
                release();
                if (e != null) {
                  out.completeExceptionally(e);
                } else {
                  out.complete(v);
                }
              });
        };
    synchronized (this) {
      if (running >= max) {
        waiting.add(start);
        return out;
      }
      running++;
    }
    start.run();
    return out;
  }

  private void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        running--;
        return;
      }
    }
    next.run(); // takes over the place of the load that ended
  }

  synchronized int running() {
    return running;
  }
}
