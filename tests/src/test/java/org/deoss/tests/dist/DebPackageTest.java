package org.deoss.tests.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.deoss.tests.mount.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package installed for real with {@code dpkg -i}: the commands, the units and the fstab
 * helper are where Debian looks for them and run; then {@code dpkg --purge} leaves nothing. Root
 * only, and only on a machine where the package is not installed already (it is removed again even
 * when a check fails, so the machine is left as found).
 */
@Timeout(300)
class DebPackageTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final List<String> UNITS =
      List.of("deoss-node.service", "deoss-miner@.service", "deoss-mount@.service");

  @TempDir Path scratch;

  private static Tools.Result run(String... command) throws Exception {
    return Tools.run(null, TIMEOUT, command);
  }

  @Test
  void dpkgInstall_putsCommandsUnitsAndTheFstabHelperInPlace_andPurgeRemovesThem()
      throws Exception {
    assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "needs root");
    assumeTrue(run("sh", "-c", "command -v dpkg").exitCode() == 0, "needs dpkg");
    assumeTrue(run("dpkg", "-s", "deoss").exitCode() != 0, "deoss is installed already");
    Path deb =
        Distribution.debianPackage()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no deoss_*.deb in packaging/target; the deb profile builds it where"
                            + " /usr/bin/dpkg-deb exists (mvn -pl tests -am verify)"));
    boolean hadEtc = Files.exists(Path.of("/etc/deoss"));
    try {
      run("dpkg", "-i", deb.toString()).orThrow();
      checkInstalled();
    } finally {
      Tools.Result purge = run("dpkg", "--purge", "deoss");
      assertEquals(0, purge.exitCode(), purge.output());
    }
    assertTrue(run("dpkg", "-s", "deoss").exitCode() != 0, "still installed after purge");
    for (String gone :
        List.of(
            "/usr/share/deoss", "/usr/bin/deoss", "/sbin/mount.deoss", "/sbin/mount.fuse.deoss")) {
      assertFalse(Files.exists(Path.of(gone), java.nio.file.LinkOption.NOFOLLOW_LINKS), gone);
    }
    for (String unit : UNITS) {
      assertFalse(Files.exists(Path.of("/lib/systemd/system", unit)), unit);
    }
    assertEquals(hadEtc, Files.exists(Path.of("/etc/deoss")), "/etc/deoss after purge");
  }

  private void checkInstalled() throws Exception {
    Tools.Result version = run("/usr/bin/deoss", "--version").orThrow();
    assertTrue(version.output().startsWith("deoss 0."), version.output());

    Tools.Result help = run("/usr/bin/deoss", "--help").orThrow();
    for (String command : List.of("up", "node", "miner", "mount", "status", "bucket")) {
      assertTrue(help.output().contains("  " + command + " "), command + " in:\n" + help.output());
    }
    Tools.Result upHelp = run("/usr/bin/deoss", "up", "--help").orThrow();
    assertTrue(upHelp.output().contains("--listen-base"), upHelp.output());

    List<String> problems = new ArrayList<>();
    for (String unit : UNITS) {
      Path file = Path.of("/lib/systemd/system", unit);
      if (!Files.exists(file)) {
        problems.add(unit + " missing");
      } else if (!Files.readString(file).contains("/usr/bin/deoss ")) {
        problems.add(unit + " does not run /usr/bin/deoss");
      }
    }
    assertEquals(List.of(), problems);
    if (run("sh", "-c", "command -v systemd-analyze").exitCode() == 0) {
      // templates are checked through an instance
      for (String unit :
          List.of("deoss-node.service", "deoss-miner@a.service", "deoss-mount@b.service")) {
        Tools.Result verify = run("systemd-analyze", "verify", "--man=no", unit);
        assertEquals(0, verify.exitCode(), unit + ":\n" + verify.output());
      }
    }
    assertTrue(Files.exists(Path.of("/etc/deoss/deoss.env")), "/etc/deoss/deoss.env");

    Tools.Result helperHelp = run("/sbin/mount.deoss", "--help").orThrow();
    assertTrue(helperHelp.output().contains("fuse.deoss"), helperHelp.output());
    // mount -f (fake) shows what the helper would run: the fstab options become deoss flags
    Path mp = Files.createDirectories(scratch.resolve("mnt"));
    Tools.Result fake =
        run(
                "mount",
                "-f",
                "-v",
                "-t",
                "fuse.deoss",
                "deoss:photos",
                mp.toString(),
                "-o",
                "_netdev,nofail,home=/var/lib/deoss/alice,allow_other")
            .orThrow();
    String line = fake.output();
    assertTrue(line.contains("/usr/share/deoss/bin/deoss mount " + mp), line);
    assertTrue(line.contains("--home /var/lib/deoss/alice"), line);
    assertTrue(line.contains("--bucket photos"), line);
    assertTrue(line.contains("-o allow_other"), line);
    assertFalse(line.contains("_netdev"), line);
  }
}
