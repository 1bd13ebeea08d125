package org.deoss.cache;

import com.github.benmanes.caffeine.cache.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A scheduler on a fake clock: tasks run (on their executor) when the test advances time. */
final class FakeScheduler implements Scheduler {
  private record Task(long due, Executor executor, Runnable command, CompletableFuture<Void> f) {}

  private final List<Task> tasks = new ArrayList<>();
  private long now;

  @Override
  public synchronized Future<?> schedule(
      Executor executor, Runnable command, long delay, TimeUnit unit) {
    Task t = new Task(now + unit.toNanos(delay), executor, command, new CompletableFuture<>());
    tasks.add(t);
    return t.f();
  }

  /** Moves time on and runs every task now due that was not cancelled. */
  void advance(Duration d) {
    List<Task> due = new ArrayList<>();
    synchronized (this) {
      now += d.toNanos();
      for (Task t : List.copyOf(tasks)) {
        if (t.due() <= now) {
          tasks.remove(t);
          due.add(t);
        }
      }
    }
    for (Task t : due) {
      if (!t.f().isCancelled()) {
        t.executor().execute(t.command());
        t.f().complete(null);
      }
    }
  }

  /** Tasks waiting and not cancelled. */
  synchronized int pending() {
    return (int) tasks.stream().filter(t -> !t.f().isCancelled()).count();
  }
}
