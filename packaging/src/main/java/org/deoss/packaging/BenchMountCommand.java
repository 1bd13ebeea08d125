package org.deoss.packaging;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code deoss bench mount}: not measured by the installed command yet; says where the mount
 * benchmark is and exits 2 rather than print a figure it did not measure.
 */
@Command(
    name = "mount",
    mixinStandardHelpOptions = true,
    description = {
      "Mount throughput is not measured by the installed command yet.",
      "The mount benchmark (sequential and random reads and writes, file creation, stat, rsync,"
          + " against a local folder and rclone) is ./bench-mount in the DeOSS source tree; it"
          + " needs rclone and fio. Exits 2."
    })
final class BenchMountCommand implements Callable<Integer> {
  static final String MESSAGE =
      "deoss bench mount: not available in the installed command yet; run ./bench-mount from a"
          + " DeOSS source tree (it needs rclone and fio), or ./bench-mount --quick for smaller"
          + " sizes";

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println(MESSAGE);
    return ErrorHandler.BAD_INPUT;
  }
}
