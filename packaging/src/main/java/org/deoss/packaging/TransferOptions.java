package org.deoss.packaging;

import java.io.PrintWriter;
import org.deoss.core.pipeline.ProgressListener;
import picocli.CommandLine.Option;

/** The options of put and get: progress display and JSON output. */
final class TransferOptions {
  @Option(
      names = "--progress",
      description = "Show a progress bar on stderr even when it is not a terminal.")
  boolean progress;

  @Option(
      names = "--no-progress",
      description = "Never show a progress bar (default: shown on a terminal after one second).")
  boolean noProgress;

  @Option(names = "--json", description = "Print the stored object as JSON.")
  boolean json;

  ProgressBarHandle bar(PrintWriter err, String label, long total) {
    boolean on = !noProgress && (progress || ProgressBar.stderrIsTerminal());
    return new ProgressBarHandle(ProgressBar.open(on, err, label, total, System::nanoTime));
  }

  /** A listener that is closed (its line ended) after the transfer. */
  record ProgressBarHandle(ProgressListener listener) implements AutoCloseable {
    @Override
    public void close() {
      if (listener instanceof ProgressBar b) {
        b.close();
      }
    }
  }
}
