package org.deoss.tests.dist;

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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code bin/deoss up} process of the built distribution, started as a user would (no
 * passphrase in the environment), its output kept in memory and copied to {@code CONSOLE}. {@link
 * #awaitReady} returns once it prints its ready line.
 */
public final class UpProcess {
  /** The line deoss up prints when everything serves (UpCommand.READY). */
  public static final String READY = "deoss is ready";

  private final Process process;
  private final Path console;
  private final StringBuffer output = new StringBuffer();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Thread pump;

  private UpProcess(Process process, Path console) {
    this.process = process;
    this.console = console;
    this.pump = new Thread(this::pumpOutput, "up-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts {@code DEOSS up ARGS} with {@code env} added to an environment without DeOSS variables;
   * its console goes to {@code console} (appended).
   */
  public static UpProcess start(Path deoss, Path console, Map<String, String> env, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of(deoss.toString(), "up"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().remove("DEOSS_PASSPHRASE");
    pb.environment().remove("DEOSS_HOME");
    pb.environment().putAll(env);
    return new UpProcess(pb.start(), console);
  }

  private void pumpOutput() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out =
            Files.newBufferedWriter(
                console,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      out.write("--- deoss up, pid " + process.pid() + "\n");
      String line;
      while ((line = in.readLine()) != null) {
        output.append(line).append('\n');
        out.write(line + "\n");
        out.flush();
        if (line.startsWith(READY)) {
          ready.complete(null);
        }
      }
    } catch (IOException e) {
      ready.completeExceptionally(e);
    } finally {
      ready.completeExceptionally(new IllegalStateException("deoss up ended"));
    }
  }

  /** Waits for the ready line; fails with the output if the process ends or time runs out. */
  public UpProcess awaitReady(Duration timeout) throws InterruptedException {
    try {
      ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return this;
    } catch (ExecutionException e) {
      process.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "deoss up ended before it was ready (exit "
              + (process.isAlive() ? "none yet" : process.exitValue())
              + "):\n"
              + output,
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("deoss up not ready within " + timeout + ":\n" + output);
    }
  }

  /** Sends SIGINT, as Ctrl-C in its terminal does. */
  public void interrupt() throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -INT " + process.pid() + " failed");
    }
  }

  /** Sends SIGTERM, as systemd or kill do. */
  public void terminate() {
    process.destroy();
  }

  /** Waits for the exit; returns its code, or fails with the output after {@code timeout}. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("deoss up still runs after " + timeout + ":\n" + output);
    }
    pump.join(5_000);
    return process.exitValue();
  }

  /** SIGKILL of the process and what it started (a test's last resort in cleanup). */
  public void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** Everything it printed so far. */
  public String output() {
    return output.toString();
  }
}
