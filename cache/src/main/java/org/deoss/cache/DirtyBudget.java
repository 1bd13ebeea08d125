package org.deoss.cache;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bytes written but not yet committed, bounded: {@link #acquire} blocks while the bound is reached
 * and calls a hook (start flushing) once per wait. One write larger than the whole bound passes
 * when nothing else is dirty, so no writer waits forever for itself.
 */
final class DirtyBudget {
  private final long max;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition freed = lock.newCondition();
  private long used;
  private int blocked;

  DirtyBudget(long max) {
    this.max = max;
  }

  /** Takes {@code n} bytes, waiting (after running {@code onFull} once) while they do not fit. */
  void acquire(long n, Runnable onFull) throws java.io.InterruptedIOException {
    while (true) {
      if (tryTake(n)) {
        return;
      }
      onFull.run();
      lock.lock();
      try {
        if (fits(n)) {
          used += n;
          return;
        }
        blocked++;
        try {
          freed.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while waiting for uploads");
        } finally {
          blocked--;
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private boolean tryTake(long n) {
    lock.lock();
    try {
      if (fits(n)) {
        used += n;
        return true;
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  private boolean fits(long n) {
    return used == 0 || used + n <= max;
  }

  /** Takes {@code n} bytes without waiting (replayed entries). */
  void reserve(long n) {
    lock.lock();
    try {
      used += n;
    } finally {
      lock.unlock();
    }
  }

  void release(long n) {
    if (n == 0) {
      return;
    }
    lock.lock();
    try {
      used = Math.max(0, used - n);
      freed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  long used() {
    lock.lock();
    try {
      return used;
    } finally {
      lock.unlock();
    }
  }

  int blocked() {
    lock.lock();
    try {
      return blocked;
    } finally {
      lock.unlock();
    }
  }
}
