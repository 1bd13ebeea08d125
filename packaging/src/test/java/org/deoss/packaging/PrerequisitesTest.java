package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What deoss up does when FUSE is missing: install as root, else print the command. */
class PrerequisitesTest {
  /** A machine with the given commands and libraries; apt-get "installs" by adding them. */
  private static final class FakeHost implements Prerequisites.Host {
    final Set<String> present = new HashSet<>();
    boolean root;
    boolean devFuse = true;
    int aptExit;
    final List<List<String>> ran = new ArrayList<>();

    @Override
    public boolean hasCommand(String name) {
      return present.contains(name);
    }

    @Override
    public boolean hasLibrary(String soname) {
      return present.contains(soname);
    }

    @Override
    public boolean hasDevice(Path device) {
      return devFuse;
    }

    @Override
    public boolean isRoot() {
      return root;
    }

    @Override
    public int run(List<String> command) {
      ran.add(command);
      if (aptExit == 0 && command.contains("install")) {
        if (command.contains("fuse")) {
          present.add("fusermount");
        }
        if (command.contains("libfuse2")) {
          present.add("libfuse.so.2");
        }
      }
      return aptExit;
    }
  }

  private final FakeHost host = new FakeHost();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int ensure() throws Exception {
    return new Prerequisites(host, new PrintWriter(out, true), new PrintWriter(err, true)).ensure();
  }

  @Test
  void ensure_whenFuseIsThere_runsNothingAndGoesOn() throws Exception {
    host.present.addAll(List.of("fusermount", "libfuse.so.2"));
    assertEquals(0, ensure());
    assertTrue(host.ran.isEmpty(), host.ran.toString());
    assertEquals("", err.toString());
  }

  @Test
  void ensure_whenFuseIsMissingAndNotRoot_printsTheExactAptCommandAndReturns2() throws Exception {
    host.present.add("apt-get");
    assertEquals(2, ensure());
    assertTrue(err.toString().contains("sudo apt-get install -y fuse libfuse2"), err.toString());
    assertTrue(host.ran.isEmpty(), "must not try to install without root: " + host.ran);
  }

  @Test
  void ensure_whenOnlyTheLibraryIsMissing_namesOnlyIt() throws Exception {
    host.present.add("fusermount");
    assertEquals(2, ensure());
    assertTrue(err.toString().contains("sudo apt-get install -y libfuse2\n"), err.toString());
  }

  @Test
  void ensure_asRootWithAptGet_installsTheMissingPackagesAndGoesOn() throws Exception {
    host.root = true;
    host.present.add("apt-get");
    assertEquals(0, ensure());
    assertEquals(
        List.of(
            List.of("apt-get", "update", "-qq"),
            List.of("apt-get", "install", "-y", "-qq", "fuse", "libfuse2")),
        host.ran);
    assertTrue(out.toString().contains("installing fuse libfuse2"), out.toString());
  }

  @Test
  void ensure_asRootWhenAptGetFails_returns2AndSaysSo() throws Exception {
    host.root = true;
    host.present.add("apt-get");
    host.aptExit = 100;
    assertEquals(2, ensure());
    assertTrue(err.toString().contains("failed (exit 100)"), err.toString());
  }

  @Test
  void ensure_withoutDevFuse_returns2AndSaysHowToGetIt() throws Exception {
    host.present.addAll(List.of("fusermount", "libfuse.so.2"));
    host.devFuse = false;
    assertEquals(2, ensure());
    assertTrue(err.toString().contains("/dev/fuse"), err.toString());
    assertTrue(err.toString().contains("modprobe fuse"), err.toString());
  }
}
