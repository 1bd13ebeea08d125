package org.deoss.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;

/**
 * The temporary home of a {@code deoss bench} run, under {@code java.io.tmpdir}: deleted on {@link
 * #close}, or by a shutdown hook if the JVM stops first (Ctrl-C, SIGTERM), after stopping what
 * {@link #stopFirst} was given, newest first. Whichever comes first does it, once.
 */
final class BenchHome implements AutoCloseable {
  private static final long STOPPING_GRACE_NANOS = 10_000_000_000L;

  final Path dir;
  private final Thread hook;
  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private boolean deleted;
  private boolean closed;

  private BenchHome(Path dir) {
    this.dir = dir;
    this.hook = new Thread(this::stopping, "deoss-bench-cleanup");
  }

  /** Creates a new temporary home and the hook that deletes it if the JVM stops first. */
  static BenchHome create() throws IOException {
    BenchHome h = new BenchHome(Files.createTempDirectory("deoss-bench-"));
    Runtime.getRuntime().addShutdownHook(h.hook);
    return h;
  }

  /**
   * Registers what runs in the home, to be stopped before the home is deleted; the returned handle
   * stops it on the normal path (at most once).
   */
  synchronized AutoCloseable stopFirst(AutoCloseable service) {
    if (deleted) {
      // the JVM is stopping and the hook has run while the benchmark went on: undo, and stop it
      try {
        service.close();
      } catch (Exception e) {
        System.err.println("deoss bench: stopping " + service + ": " + e.getMessage());
      }
      deleteTree();
      throw new IllegalStateException("deoss bench is stopping");
    }
    running.push(service);
    return () -> stop(service);
  }

  private synchronized void stop(AutoCloseable service) throws Exception {
    if (running.remove(service)) {
      service.close();
    }
  }

  /**
   * The shutdown hook: stops what runs and deletes the home, then gives the benchmark's thread,
   * which goes on meanwhile, a few seconds to fail and {@link #close}, so that what it made in
   * between is deleted too before the JVM halts.
   */
  private synchronized void stopping() {
    delete();
    long deadline = System.nanoTime() + STOPPING_GRACE_NANOS;
    try {
      for (long left; !closed && (left = deadline - System.nanoTime()) > 0; ) {
        wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (Files.exists(dir)) {
      deleteTree();
    }
  }

  /** Throws if the JVM is stopping, so that the benchmark does not start its next step. */
  synchronized void checkNotStopping() {
    if (deleted) {
      throw new IllegalStateException("deoss bench is stopping");
    }
  }

  private synchronized void delete() {
    if (deleted) {
      return;
    }
    deleted = true;
    while (!running.isEmpty()) {
      AutoCloseable r = running.pop();
      try {
        r.close();
      } catch (Exception e) {
        System.err.println("deoss bench: stopping " + r + ": " + e.getMessage());
      }
    }
    deleteTree();
  }

  private void deleteTree() {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("deoss bench: could not delete " + dir + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    delete();
    synchronized (this) {
      if (Files.exists(dir)) { // made again after the hook ran, while the benchmark went on
        deleteTree();
      }
      closed = true;
      notifyAll();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is stopping: the hook has run or is running
    }
  }
}
