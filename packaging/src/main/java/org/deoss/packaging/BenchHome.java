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
  final Path dir;
  private final Thread hook;
  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private boolean deleted;

  private BenchHome(Path dir) {
    this.dir = dir;
    this.hook = new Thread(this::delete, "deoss-bench-cleanup");
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
    running.push(service);
    return () -> stop(service);
  }

  private synchronized void stop(AutoCloseable service) throws Exception {
    if (running.remove(service)) {
      service.close();
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
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is stopping: the hook has run or is running
    }
  }
}
