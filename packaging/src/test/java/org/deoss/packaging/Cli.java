package org.deoss.packaging;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The deoss command line run in this JVM, with what it prints kept for assertions. */
final class Cli {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  /** Runs one command line; returns its exit code. */
  int run(String... args) {
    CommandLine cmd =
        new CommandLine(new DeossCommand()).setExecutionExceptionHandler(new ErrorHandler());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }
}
