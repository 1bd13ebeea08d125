package org.deoss.tests.mount;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.deoss.tests.cluster.LocalCluster;

/**
 * One {@code deoss mount} process. Its output is copied to {@code HOME/mount-console.txt}; {@link
 * #awaitMounted} returns when it prints {@code mounted MOUNTPOINT} and fails, with the console and
 * the log tail, if the process exits first.
 */
public final class MountProcess {
  private final Path home;
  private final Path mountPoint;
  private final Process process;
  private final CompletableFuture<Void> mounted = new CompletableFuture<>();
  private final Thread pump;

  private MountProcess(Path home, Path mountPoint, Process process) {
    this.home = home;
    this.mountPoint = mountPoint;
    this.process = process;
    this.pump = new Thread(this::pumpOutput, "mount-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts {@code deoss mount MOUNTPOINT --home HOME --node URL [--cache-dir DIR] [extra]}. */
  public static MountProcess start(
      Path home, Path mountPoint, String nodeUrl, Path cacheDir, String... extra)
      throws IOException {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of("mount", mountPoint.toString(), "--home", home.toString(), "--node", nodeUrl));
    if (cacheDir != null) {
      args.addAll(List.of("--cache-dir", cacheDir.toString()));
    }
    args.addAll(List.of(extra));
    if (org.deoss.fs.MountTable.typeAt(mountPoint).isEmpty()) {
      // A mount point left stale by a kill cannot be stat'ed; the mount itself cleans it.
      Files.createDirectories(mountPoint);
    }
    // A mount encodes several segments at once: the launcher's default heap, not a miner's.
    ProcessBuilder pb = LocalCluster.deoss("1g", args.toArray(String[]::new));
    pb.redirectErrorStream(true);
    return new MountProcess(home, mountPoint, pb.start());
  }

  private void pumpOutput() {
    String expected = "mounted " + mountPoint;
    Path console = home.resolve("mount-console.txt");
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out =
            Files.newBufferedWriter(
                console,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      out.write("--- deoss mount, pid " + process.pid() + "\n");
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line + "\n");
        out.flush();
        if (line.strip().equals(expected)) {
          mounted.complete(null);
        }
      }
    } catch (IOException e) {
      mounted.completeExceptionally(e);
    } finally {
      mounted.completeExceptionally(new IllegalStateException("the mount process ended"));
    }
  }

  /** Waits for the {@code mounted} line; fails with the console and log if it does not come. */
  public MountProcess awaitMounted(Duration timeout) throws IOException, InterruptedException {
    try {
      mounted.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return this;
    } catch (ExecutionException e) {
      process.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "deoss mount "
              + mountPoint
              + " ended before it mounted (exit "
              + (process.isAlive() ? "none yet" : process.exitValue())
              + "):\n"
              + diagnostics(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "deoss mount " + mountPoint + " did not mount within " + timeout + ":\n" + diagnostics());
    }
  }

  /** SIGTERM, then waits for the drain and the unmount; returns the exit code. */
  public int stop(Duration timeout) throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(
          "deoss mount "
              + mountPoint
              + " still ran "
              + timeout
              + " after SIGTERM:\n"
              + diagnostics());
    }
    pump.join(5_000);
    return process.exitValue();
  }

  /** SIGKILL, as a crash would: nothing is drained and the mount point is left stale. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    pump.join(5_000);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public Path mountPoint() {
    return mountPoint;
  }

  /** The console output of every mount run from this home and the tail of its mount.log. */
  public String diagnostics() throws IOException {
    return diagnostics(home);
  }

  static String diagnostics(Path home) throws IOException {
    StringBuilder b = new StringBuilder();
    Path console = home.resolve("mount-console.txt");
    b.append("--- mount console\n")
        .append(Files.exists(console) ? Tools.tail(Files.readString(console), 3000) : "(none)");
    Path log = home.resolve("logs").resolve("mount.log");
    b.append("\n--- tail of ").append(log.getFileName()).append('\n');
    b.append(Files.exists(log) ? Tools.tail(Files.readString(log), 6000) : "(none)");
    return b.toString();
  }
}
