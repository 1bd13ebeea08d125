package org.deoss.packaging;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code deoss bench}: quick throughput figures on this machine, each beside a baseline measured in
 * the same run, for users of the installed command (the JMH benchmarks need the source tree).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure DeOSS on this machine: the CPU pipeline, a throwaway local network, the mount.",
      "Every line is printed beside a baseline measured in the same run (memory copy, SHA-256,"
          + " loopback TCP, disk write+fsync), so that figures from different machines can be"
          + " compared. MB/s are 10^6 bytes of user data per second. Figures are indicative: other"
          + " work on the machine lowers them.",
      "Exit codes: 0 measured, 1 failed, 2 bad input or not available."
    },
    subcommands = {
      BenchPipelineCommand.class,
      BenchNetworkCommand.class,
      BenchMountCommand.class,
      picocli.CommandLine.HelpCommand.class
    })
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Parses the value of a size option, at least {@code min} bytes and at most {@code max}.
   *
   * @throws UserException naming the option and the value otherwise
   */
  static long size(String option, String text, long min, long max) {
    long bytes;
    try {
      bytes = Sizes.parse(text);
    } catch (UserException e) {
      throw new UserException(option + ": " + e.getMessage(), e);
    }
    if (bytes < min || bytes > max) {
      throw new UserException(
          option
              + " "
              + text
              + ": give "
              + Sizes.format(min)
              + " to "
              + Sizes.format(max)
              + " (e.g. 256MiB)");
    }
    return bytes;
  }

  /** Checks that a count option is within {@code [min, max]}. */
  static int count(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new UserException(option + " " + value + ": give " + min + " to " + max);
    }
    return value;
  }
}
