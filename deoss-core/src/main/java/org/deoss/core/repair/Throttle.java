package org.deoss.core.repair;

/**
 * Limits the bytes per second repair moves, so that it does not starve users' reads and writes.
 * Thread-safe.
 */
public interface Throttle {

  /**
   * Waits until {@code bytes} more may be moved.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void acquire(long bytes) throws InterruptedException;

  /** No limit. */
  static Throttle unlimited() {
    return bytes -> {};
  }

  /**
   * A token bucket of {@code bytesPerSecond}, holding at most one second of tokens, on the given
   * monotonic clock; {@code sleeper} waits (a test passes one that advances a fake clock).
   *
   * @throws IllegalArgumentException if {@code bytesPerSecond} is not positive
   */
  static Throttle bytesPerSecond(
      long bytesPerSecond, java.util.function.LongSupplier nanoTime, Sleeper sleeper) {
    return new TokenBucket(bytesPerSecond, nanoTime, sleeper);
  }

  /** Waits for a number of nanoseconds. */
  @FunctionalInterface
  interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;

    /** {@link Thread#sleep}. */
    static Sleeper system() {
      return nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }
  }
}
