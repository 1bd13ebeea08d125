package org.deoss.tests.mount;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs command-line tools (rsync, cp, tar, git, sqlite3, the deoss CLI) and captures output. */
public final class Tools {
  private Tools() {}

  /** What a finished command printed (stdout and stderr together) and its exit code. */
  public record Result(List<String> command, int exitCode, String output) {
    /** Throws, with the command and its output, unless the exit code was 0. */
    public Result orThrow() {
      if (exitCode != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited with " + exitCode + ":\n" + tail(output, 4000));
      }
      return this;
    }
  }

  /** Runs {@code command} in {@code dir} (null: this process's folder), waiting up to timeout. */
  public static Result run(Path dir, Duration timeout, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    return run(pb, dir, timeout);
  }

  public static Result run(Path dir, Duration timeout, String... command)
      throws IOException, InterruptedException {
    return run(dir, timeout, List.of(command));
  }

  /** Runs a prepared process (environment set by the caller); output is captured here. */
  public static Result run(ProcessBuilder pb, Path dir, Duration timeout)
      throws IOException, InterruptedException {
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          String.join(" ", pb.command())
              + " still ran after "
              + timeout
              + "; killed. Output:\n"
              + tail(out.getNow(""), 4000));
    }
    return new Result(pb.command(), p.exitValue(), out.join());
  }

  private static String readAll(InputStream in) {
    try (in) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last {@code chars} characters of {@code text}. */
  public static String tail(String text, int chars) {
    return text.length() <= chars ? text : "..." + text.substring(text.length() - chars);
  }
}
