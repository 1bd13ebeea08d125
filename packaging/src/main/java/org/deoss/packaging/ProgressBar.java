package org.deoss.packaging;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.deoss.core.pipeline.ProgressListener;

/**
 * A one-line progress bar on standard error for a transfer: drawn only once the transfer has run
 * for a second, redrawn at most ten times a second, finished with a newline on {@link #close}.
 * Pipeline threads call {@link #progress}; the bar is synchronized.
 */
final class ProgressBar implements ProgressListener, AutoCloseable {
  private static final long DELAY_NANOS = 1_000_000_000L;
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final String label;
  private final long total;
  private final LongSupplier nanoTime;
  private final long start;
  private long lastDraw;
  private long done;
  private boolean drawn;

  /**
   * A bar for {@code total} bytes ({@code -1} when unknown), or a silent listener when {@code
   * enabled} is false.
   */
  static ProgressListener open(
      boolean enabled, PrintWriter err, String label, long total, LongSupplier nanoTime) {
    return enabled ? new ProgressBar(err, label, total, nanoTime) : ProgressListener.NONE;
  }

  ProgressBar(PrintWriter err, String label, long total, LongSupplier nanoTime) {
    this.err = err;
    this.label = label;
    this.total = total;
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
  }

  /** Whether this process's standard error is a terminal (Linux: /proc/self/fd/2). */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  @Override
  public synchronized void progress(long bytesDone) {
    done = Math.max(done, bytesDone);
    long now = nanoTime.getAsLong();
    if (now - start < DELAY_NANOS || (drawn && now - lastDraw < REDRAW_NANOS)) {
      return;
    }
    draw(now);
  }

  private void draw(long now) {
    lastDraw = now;
    drawn = true;
    double seconds = Math.max(1e-9, (now - start) / 1e9);
    String rate = Sizes.format((long) (done / seconds)) + "/s";
    String line;
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, done * WIDTH / total);
      line =
          String.format(
              Locale.ROOT,
              "%s [%s%s] %3d%% %s / %s %s",
              label,
              "#".repeat(filled),
              ".".repeat(WIDTH - filled),
              Math.min(100, done * 100 / total),
              Sizes.format(done),
              Sizes.format(total),
              rate);
    } else {
      line = label + " " + Sizes.format(done) + " " + rate;
    }
    err.print("\r" + line + "\u001b[K");
    err.flush();
  }

  /** Draws the final state (if the bar was shown at all) and ends the line. */
  @Override
  public synchronized void close() {
    if (drawn) {
      draw(nanoTime.getAsLong());
      err.println();
      err.flush();
    }
  }
}
