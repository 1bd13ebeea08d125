package org.deoss.core.repair;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A token bucket in bytes. A request larger than the bucket is let through once the bucket is full
 * and leaves it in debt, so large fragments pass at the configured average rate.
 */
final class TokenBucket implements Throttle {
  private static final long NANOS = 1_000_000_000L;

  private final long rate;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private double tokens;
  private long last;

  TokenBucket(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException(
          "repair rate must be a positive number of bytes per second, got " + bytesPerSecond);
    }
    this.rate = bytesPerSecond;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.last = nanoTime.getAsLong();
    this.tokens = bytesPerSecond;
  }

  @Override
  public void acquire(long bytes) throws InterruptedException {
    long wait;
    synchronized (this) {
      refill();
      tokens -= bytes;
      wait = tokens >= 0 ? 0 : (long) Math.ceil(-tokens * NANOS / rate);
    }
    if (wait > 0) {
      sleeper.sleepNanos(wait);
    }
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(rate, tokens + (double) (now - last) * rate / NANOS);
    last = now;
  }
}
