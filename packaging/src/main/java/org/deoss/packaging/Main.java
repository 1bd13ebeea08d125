package org.deoss.packaging;

import picocli.CommandLine;

/** Entry point of the {@code deoss} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  static int run(String... args) {
    return new CommandLine(new DeossCommand())
        .setExecutionExceptionHandler(new ErrorHandler())
        .execute(args);
  }
}
