package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deoss up before it starts anything: bad options, a home already in use, and how the other
 * commands find the passphrase it writes. (Starting it for real is UpDistributionTest in tests/.)
 */
class UpCommandTest {
  @TempDir Path home;

  private final Cli cli = new Cli();

  @Test
  void up_withZeroMiners_exits2NamingTheOption() {
    assertEquals(2, cli.run("up", "--home", home.toString(), "--miners", "0"));
    assertTrue(cli.err.toString().contains("--miners 0"), cli.err.toString());
  }

  @Test
  void up_withAListenBaseThatLeavesNoPortsForTheMiners_exits2() {
    assertEquals(
        2, cli.run("up", "--home", home.toString(), "--miners", "12", "--listen-base", "65530"));
    assertTrue(cli.err.toString().contains("--listen-base 65530"), cli.err.toString());
  }

  @Test
  void up_withABadMinerCapacity_exits2NamingTheOption() {
    assertEquals(2, cli.run("up", "--home", home.toString(), "--miner-capacity", "lots"));
    assertTrue(cli.err.toString().contains("--miner-capacity"), cli.err.toString());
  }

  @Test
  void up_whenAnotherUpHoldsTheHome_exits2AndSaysWhichProcess() throws Exception {
    new UpState(4242, "http://127.0.0.1:1", "/mnt/x", "files", 1, List.of(), "log", 0).write(home);
    try (FileChannel ch =
            FileChannel.open(
                home.resolve("up.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = ch.lock()) {
      assertTrue(held.isValid());
      assertEquals(2, cli.run("up", "--home", home.toString()));
    }
    String err = cli.err.toString();
    assertTrue(err.contains("already runs"), err);
    assertTrue(err.contains("pid 4242"), err);
  }

  @Test
  void upState_roundTripsThroughTheHome() throws Exception {
    UpState s =
        new UpState(
            ProcessHandle.current().pid(),
            "http://127.0.0.1:8940",
            "/home/a/deoss",
            "files",
            2,
            List.of("127.0.0.1:8941", "127.0.0.1:8942"),
            "/home/a/.deoss/logs/up.log",
            7);
    s.write(home);
    assertEquals(s, UpState.read(home).orElseThrow());
    assertTrue(s.alive());
  }

  @Test
  void passphraseFile_prefersTheOption_thenTheHomeFileThatUpWrites() throws Exception {
    assumeTrue(System.getenv("DEOSS_PASSPHRASE") == null, "DEOSS_PASSPHRASE is set and would win");
    HomeOptions options = new HomeOptions();
    options.home = home;
    assertNull(options.passphraseFile(null), "no file yet: a prompt");
    Secrets.writeNew(options.passphrase(), "secret".toCharArray());
    assertEquals(home.resolve("passphrase"), options.passphraseFile(null));
    Path given = home.resolve("other");
    assertEquals(given, options.passphraseFile(given));
    assertEquals("secret", new String(Passphrases.read(options.passphraseFile(null), false)));
    assertTrue(Files.exists(options.passphrase()));
  }
}
