package org.deoss.packaging;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.deoss.fs.MountTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deoss umount}: ask the mount's process to upload, unmount and exit. */
@Command(
    name = "umount",
    mixinStandardHelpOptions = true,
    description = {
      "Unmount a deoss mount: signals the deoss mount process that serves it (SIGTERM) and waits"
          + " until it has uploaded pending files, unmounted and exited.",
      "When no process serves it any more (a crash left it stale), unmounts it lazily and says"
          + " so."
    })
final class UmountCommand implements Callable<Integer> {
  @Mixin HomeOptions home;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MOUNTPOINT", description = "Where it is mounted.")
  Path mountPoint;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "900",
      description = "How long to wait for the process to exit (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Path mp = mountPoint.toAbsolutePath().normalize();
    PrintWriter out = spec.commandLine().getOut();
    Optional<String> type = MountTable.typeAt(mp);
    if (type.isEmpty()) {
      throw new UserException(mp + " is not a mount point");
    }
    if (!type.get().equals("fuse.deoss")) {
      throw new UserException(mp + " is not a deoss mount (it is " + type.get() + ")");
    }
    Optional<ProcessHandle> owner = owner(mp);
    if (owner.isEmpty()) {
      String err = MountTable.fusermount(mp, true);
      if (err != null) {
        throw new IllegalStateException("cannot unmount the stale mount " + mp + ": " + err);
      }
      out.println("no process serves " + mp + " (stale after a crash): unmounted it lazily");
      return 0;
    }
    ProcessHandle p = owner.get();
    out.println("asking process " + p.pid() + " to upload pending files and unmount " + mp);
    out.flush();
    p.destroy(); // SIGTERM
    try {
      p.onExit().get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "process "
              + p.pid()
              + " still runs after "
              + timeoutSeconds
              + " s (uploading? see HOME/logs/mount.log); "
              + mp
              + " stays mounted");
    }
    out.println("unmounted " + mp);
    return 0;
  }

  /** The live process serving {@code mp}: from HOME/mount.pid, else by its command line. */
  private Optional<ProcessHandle> owner(Path mp) throws IOException {
    Path pidFile = home.home().resolve("mount.pid");
    if (Files.exists(pidFile)) {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      if (lines.size() >= 2 && lines.get(1).strip().equals(mp.toString())) {
        Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(lines.get(0).strip()));
        if (p.isPresent() && p.get().isAlive()) {
          return p;
        }
      }
    }
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.pid() != self)
        .filter(h -> servesMount(h, mp))
        .findFirst();
  }

  private static boolean servesMount(ProcessHandle h, Path mp) {
    String[] args = h.info().arguments().orElse(new String[0]);
    boolean mount = false;
    boolean point = false;
    for (String a : args) {
      mount |= a.equals("mount");
      point |= a.equals(mp.toString()) || Path.of(a).toAbsolutePath().normalize().equals(mp);
    }
    return mount && point;
  }
}
