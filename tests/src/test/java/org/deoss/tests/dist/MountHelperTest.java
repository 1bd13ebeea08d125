package org.deoss.tests.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.deoss.tests.mount.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's {@code bin/mount.deoss} as mount(8) calls it, without mounting: usage, exit
 * codes, and how fstab options become {@code deoss mount} flags ({@code -f} prints the command).
 */
class MountHelperTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private static Tools.Result helper(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(Distribution.deoss().resolveSibling("mount.deoss").toString()));
    cmd.addAll(List.of(args));
    return Tools.run(null, TIMEOUT, cmd);
  }

  @Test
  void help_exits0_andShowsAnFstabLine() throws Exception {
    Tools.Result r = helper("--help");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("fuse.deoss  _netdev"), r.output());
  }

  @Test
  void withoutAMountPoint_exits1WithUsage() throws Exception {
    Tools.Result r = helper("deoss:photos");
    assertEquals(1, r.exitCode(), r.output());
    assertTrue(r.output().contains("Usage: mount.deoss"), r.output());
  }

  @Test
  void aMissingMountPoint_exits32AsMountDoes() throws Exception {
    Tools.Result r = helper("deoss:photos", dir.resolve("nowhere").toString());
    assertEquals(32, r.exitCode(), r.output());
    assertTrue(r.output().contains("does not exist"), r.output());
  }

  @Test
  void fake_mapsDeossOptionsToFlags_passesFuseOptions_andDropsMountsOwn() throws Exception {
    Path mp = Files.createDirectories(dir.resolve("mnt"));
    Tools.Result r =
        helper(
            "deoss:",
            mp.toString(),
            "-f",
            "-o",
            "defaults,noauto,_netdev,x-systemd.automount,home=/h,node=http://n:1,cache-dir=/c,"
                + "passphrase-file=/p,drain-timeout=5,ro,allow_other");
    assertEquals(0, r.exitCode(), r.output());
    String line = r.output();
    assertTrue(
        line.contains(
            "deoss mount "
                + mp.toRealPath()
                + " --home /h --node http://n:1 --cache-dir /c --passphrase-file /p"
                + " --drain-timeout 5 -o ro,allow_other"),
        line);
    assertFalse(line.contains("--bucket"), "deoss: means every bucket: " + line);
    for (String dropped : List.of("noauto", "_netdev", "x-systemd", "defaults")) {
      assertFalse(line.contains(dropped), dropped + " in " + line);
    }
  }

  @Test
  void fake_withABucketSource_mountsOnlyThatBucket() throws Exception {
    Path mp = Files.createDirectories(dir.resolve("mnt"));
    Tools.Result r = helper("deoss:photos", mp.toString(), "-fv", "-o", "home=/h");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("--home /h --bucket photos"), r.output());
  }
}
