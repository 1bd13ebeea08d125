package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deoss.cache.UploadProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The errors of deoss mount and deoss umount that need no network (the rest run in tests/). */
class MountCommandTest {
  @TempDir Path home;

  private final Cli cli = new Cli();
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void help_listsMountAndUmount() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString().contains("mount"), out.toString());
    assertTrue(out.toString().contains("umount"), out.toString());
  }

  @Test
  void umount_ofAFolderThatIsNotMounted_failsWithExitCode2() throws Exception {
    Path dir = Files.createDirectory(home.resolve("plain"));
    assertEquals(2, run("umount", dir.toString(), "--home", home.toString()));
    assertTrue(err.toString().contains("is not a mount point"), err.toString());
  }

  @Test
  void umount_ofAnotherFileSystem_saysItIsNotDeoss() {
    assertEquals(2, run("umount", "/proc", "--home", home.toString()));
    assertTrue(err.toString().contains("not a deoss mount (it is proc)"), err.toString());
  }

  @Test
  void mount_withoutNodeUrl_failsWithExitCode2() {
    assertEquals(2, run("mount", home.resolve("mnt").toString(), "--home", home.toString()));
    assertTrue(err.toString().contains("no --node given"), err.toString());
  }

  @Test
  void mount_withoutWallet_failsWithExitCode2() throws Exception {
    Files.writeString(home.resolve("node.url"), "http://127.0.0.1:1\n");
    assertEquals(2, run("mount", home.resolve("mnt").toString(), "--home", home.toString()));
    assertTrue(err.toString().contains("no wallet at"), err.toString());
  }

  @Test
  void pipeline_byDefault_keepsAsManySegmentsInFlightAsHalfTheHeapAllows() {
    long mib = 1 << 20;
    assertEquals(1, MountCommand.pipeline(null, 1024 * mib).segmentsInFlight());
    assertEquals(
        Pipelines.forHeap(2048 * mib).segmentsInFlight(),
        MountCommand.pipeline(null, 4096 * mib).segmentsInFlight());
    assertEquals(
        Pipelines.MAX_IN_FLIGHT, MountCommand.pipeline(null, 64L << 30).segmentsInFlight());
  }

  @Test
  void pipeline_withSegmentsInFlight_usesThem_andRefusesZero() {
    assertEquals(2, MountCommand.pipeline(2, 512L << 20).segmentsInFlight());
    UserException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            UserException.class, () -> MountCommand.pipeline(0, 1L << 30));
    assertTrue(
        e.getMessage().contains("--segments-in-flight must be 1 .. 16, got 0"), e.getMessage());
  }

  @Test
  void progressLine_saysFilesAndMiBLeft() {
    assertEquals(
        "uploading: 3 files, 1.5 MiB left",
        MountCommand.describe(new UploadProgress(3, 0, 3 << 19, 0, null, null, 0)));
  }
}
