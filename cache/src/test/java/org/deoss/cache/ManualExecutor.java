package org.deoss.cache;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** An executor that queues tasks until the test runs them. */
final class ManualExecutor implements Executor {
  private final Queue<Runnable> queue = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable command) {
    queue.add(command);
  }

  synchronized int queued() {
    return queue.size();
  }

  /** Runs queued tasks, and those they queue, until none is left. */
  void runAll() {
    while (true) {
      Runnable r;
      synchronized (this) {
        r = queue.poll();
      }
      if (r == null) {
        return;
      }
      r.run();
    }
  }
}
