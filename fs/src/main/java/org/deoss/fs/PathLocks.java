package org.deoss.fs;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by path, taken by namespace changes (create, mkdir, rename, unlink, rmdir) so two
 * of them on one name cannot interleave. A rename takes both stripes in index order.
 */
final class PathLocks {
  private final ReentrantLock[] stripes;

  PathLocks(int count) {
    stripes = new ReentrantLock[count];
    for (int i = 0; i < count; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** A held lock on {@code a} (and {@code b}, unless null); close to release. */
  Held lock(FsPath a, FsPath b) {
    int i = index(a);
    int j = b == null ? i : index(b);
    ReentrantLock first = stripes[Math.min(i, j)];
    ReentrantLock second = stripes[Math.max(i, j)];
    first.lock();
    if (second != first) {
      second.lock();
    }
    return () -> {
      if (second != first) {
        second.unlock();
      }
      first.unlock();
    };
  }

  private int index(FsPath p) {
    int h = (p.bucket() + "/" + p.key()).hashCode();
    return Math.floorMod(h ^ (h >>> 16), stripes.length);
  }

  /** A lock to release. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }
}
