package org.deoss.packaging;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code deoss up} needs from the system before it starts: FUSE 2, that is {@code fusermount}
 * (Debian package {@code fuse}), {@code libfuse.so.2} ({@code libfuse2}) and the {@code /dev/fuse}
 * device. As root with apt-get it installs the missing packages; otherwise it prints the exact
 * command and answers that up cannot start.
 */
final class Prerequisites {
  /** The exit code of {@code deoss up} when a prerequisite is missing. */
  static final int MISSING = 2;

  /** The system as {@link Prerequisites} sees it; a test injects its own. */
  interface Host {
    boolean hasCommand(String name);

    boolean hasLibrary(String soname);

    boolean hasDevice(Path device);

    boolean isRoot();

    /** Runs a command with inherited output; returns its exit code. */
    int run(List<String> command) throws IOException, InterruptedException;
  }

  private final Host host;
  private final PrintWriter out;
  private final PrintWriter err;

  Prerequisites(Host host, PrintWriter out, PrintWriter err) {
    this.host = host;
    this.out = out;
    this.err = err;
  }

  /** The Debian packages that are missing, in install order. */
  List<String> missingPackages() {
    List<String> missing = new ArrayList<>();
    if (!host.hasCommand("fusermount")) {
      missing.add("fuse");
    }
    if (!host.hasLibrary("libfuse.so.2")) {
      missing.add("libfuse2");
    }
    return missing;
  }

  /**
   * Checks, and installs as root when apt-get exists; returns 0 when up can go on, else {@link
   * #MISSING} after printing what to do.
   */
  int ensure() throws IOException, InterruptedException {
    List<String> missing = missingPackages();
    if (!missing.isEmpty()) {
      String packages = String.join(" ", missing);
      if (host.isRoot() && host.hasCommand("apt-get")) {
        out.println("deoss up: installing " + packages + " (FUSE) with apt-get ...");
        out.flush();
        host.run(List.of("apt-get", "update", "-qq"));
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq"));
        install.addAll(missing);
        int code = host.run(install);
        List<String> still = missingPackages();
        if (code != 0 || !still.isEmpty()) {
          err.println(
              "deoss up: apt-get install "
                  + packages
                  + " failed (exit "
                  + code
                  + "); install FUSE 2 and run deoss up again");
          err.flush();
          return MISSING;
        }
      } else {
        err.println("deoss up needs FUSE 2 (fusermount and libfuse.so.2). Install it with:");
        err.println("  sudo apt-get install -y " + packages);
        err.println("then run deoss up again.");
        err.flush();
        return MISSING;
      }
    }
    if (!host.hasDevice(Path.of("/dev/fuse"))) {
      err.println(
          "deoss up: there is no /dev/fuse. Load the module (sudo modprobe fuse); in a container,"
              + " start it with --device /dev/fuse --cap-add SYS_ADMIN.");
      err.flush();
      return MISSING;
    }
    return 0;
  }

  /** This machine. */
  static Host system() {
    return new Host() {
      @Override
      public boolean hasCommand(String name) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>();
        if (path != null) {
          dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        return dirs.stream()
            .filter(d -> !d.isEmpty())
            .anyMatch(d -> Files.isExecutable(Path.of(d, name)));
      }

      @Override
      public boolean hasLibrary(String soname) {
        for (String root : List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib")) {
          Path dir = Path.of(root);
          if (Files.exists(dir.resolve(soname))) {
            return true;
          }
          if (Files.isDirectory(dir)) {
            try (Stream<Path> subdirs = Files.list(dir)) {
              if (subdirs.anyMatch(d -> Files.exists(d.resolve(soname)))) {
                return true;
              }
            } catch (IOException e) {
              // unreadable: look further
            }
          }
        }
        return false;
      }

      @Override
      public boolean hasDevice(Path device) {
        return Files.exists(device);
      }

      @Override
      public boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
      }

      @Override
      public int run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        return pb.start().waitFor();
      }
    };
  }
}
