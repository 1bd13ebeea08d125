package org.deoss.fs;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.deoss.cache.UploadGate;

/**
 * Holds uploads back while the mount answers calls: an upload starts once no call has come for
 * {@code quiet}, or once it has been held {@code max}, whichever is first. Every callback of {@link
 * FuseBoundary} {@link #touch}es it. So a burst of creates or an rsync is answered without the
 * uploads of its first files competing for the CPU, and a steady trickle of calls delays an upload
 * by {@code max} at most. Thread-safe.
 */
final class ForegroundGate implements UploadGate {
  private final LongSupplier nanoTime;
  private final long quietNanos;
  private final long maxNanos;
  private volatile long lastCall;

  ForegroundGate(LongSupplier nanoTime, Duration quiet, Duration max) {
    if (quiet.isNegative() || max.isNegative()) {
      throw new IllegalArgumentException(
          "upload gate: quiet " + quiet + " and max " + max + " must not be negative");
    }
    this.nanoTime = nanoTime;
    this.quietNanos = quiet.toNanos();
    this.maxNanos = max.toNanos();
    this.lastCall = nanoTime.getAsLong() - quietNanos;
  }

  /** A call arrived now. */
  void touch() {
    lastCall = nanoTime.getAsLong();
  }

  @Override
  public Duration holdFor(Duration waited) {
    long held = waited.toNanos();
    if (held >= maxNanos) {
      return Duration.ZERO;
    }
    long idle = nanoTime.getAsLong() - lastCall;
    if (idle >= quietNanos) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.min(quietNanos - idle, maxNanos - held));
  }
}
