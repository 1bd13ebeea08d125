package org.deoss.tests.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deoss.tests.cluster.LocalCluster;
import org.deoss.tests.mount.MountProcess;
import org.deoss.tests.mount.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The object commands and sharing end to end over real processes: a ledger node and twelve miners
 * on loopback, and every command a separate {@code deoss} process, as a user would run them. Alice
 * stores, lists, reads and deletes; shares with Bob, who reads and lists what is shared with him;
 * revokes, after which neither the object nor its next version opens for Bob; publishes, after
 * which an account that was never told reads it. Bad input answers exit 2 with words that say what
 * to do. Bob's mount shows what Alice shares under its read-only {@code shared-with-me} folder.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharingEndToEndTest {
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(120);
  private static final long SEED = 20261124;

  @TempDir static Path root;
  private LocalCluster cluster;
  private Account alice;
  private Account bob;

  /** One account's home. */
  private final class Account {
    final Path home;
    final String address;

    Account(String name) throws Exception {
      home = root.resolve(name);
      Files.createDirectories(home);
      run("wallet", "create").orThrow();
      address = run("wallet", "show").orThrow().output().strip();
    }

    Tools.Result run(String... args) throws IOException, InterruptedException {
      List<String> all = new ArrayList<>(List.of(args));
      all.addAll(List.of("--home", home.toString()));
      if (!args[0].equals("wallet")) {
        all.addAll(List.of("--node", cluster.nodeUrl().toString()));
      }
      return Tools.run(LocalCluster.deoss(all.toArray(String[]::new)), null, CLI_TIMEOUT);
    }

    String ok(String... args) throws IOException, InterruptedException {
      return run(args).orThrow().output();
    }

    /** Runs a command that must exit 2; returns what it printed. */
    String refused(String... args) throws IOException, InterruptedException {
      Tools.Result r = run(args);
      assertEquals(2, r.exitCode(), String.join(" ", args) + " should exit 2:\n" + r.output());
      return r.output();
    }
  }

  private Path file(String name, int size, SplittableRandom random) throws IOException {
    byte[] b = new byte[size];
    random.nextBytes(b);
    Path f = root.resolve(name);
    Files.write(f, b);
    return f;
  }

  @BeforeAll
  void startClusterAndAccounts() throws Exception {
    cluster = new LocalCluster(root.resolve("cluster"), 12);
    try {
      cluster.start();
      alice = new Account("alice");
      bob = new Account("bob");
      alice.ok("faucet");
      alice.ok("space", "buy", "--gib", "1", "--days", "30");
      bob.ok("faucet");
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  @AfterAll
  void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @Timeout(900)
  void twoAccounts_putGetLsRm_shareRevokePublish_andBadInputs() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    alice.ok("bucket", "create", "docs");

    Path v1 = file("report-v1", 3 << 20, random);
    assertTrue(alice.ok("put", v1.toString(), "docs/q3/report.bin").contains("stored"));
    String ls = alice.ok("ls", "docs");
    assertTrue(ls.contains("PRE q3/"), ls);
    assertTrue(alice.ok("ls", "docs/q3/").contains(" 3145728 report.bin"));
    Path back = root.resolve("back");
    alice.ok("get", "docs/q3/report.bin", back.toString());
    assertArrayEquals(Files.readAllBytes(v1), Files.readAllBytes(back));

    Path bobs = root.resolve("bobs");
    String denied =
        bob.refused("get", "--owner", alice.address, "docs/q3/report.bin", bobs.toString());
    assertTrue(denied.contains("may not read"), denied);

    alice.ok("share", "docs/q3/report.bin", "--with", bob.address);
    bob.ok("get", "--owner", alice.address, "docs/q3/report.bin", bobs.toString());
    assertArrayEquals(Files.readAllBytes(v1), Files.readAllBytes(bobs));
    String shared = bob.ok("ls", "--shared");
    assertTrue(shared.contains(alice.address + "/docs/q3/report.bin"), shared);
    assertTrue(
        alice.ok("share", "--list", "docs/q3/report.bin").contains("grantee  " + bob.address));

    Path v2 = file("report-v2", 1 << 20, random);
    alice.ok("put", v2.toString(), "docs/q3/report.bin");
    bob.ok("get", "--owner", alice.address, "docs/q3/report.bin", bobs.toString());
    assertArrayEquals(
        Files.readAllBytes(v2), Files.readAllBytes(bobs), "a new version stays shared");

    alice.ok("share", "docs/q3/report.bin", "--revoke", bob.address);
    bob.refused("get", "--owner", alice.address, "docs/q3/report.bin", bobs.toString());
    assertFalse(bob.ok("ls", "--shared").contains("report.bin"));
    Path v3 = file("report-v3", 100_000, random);
    alice.ok("put", v3.toString(), "docs/q3/report.bin");
    bob.refused("get", "--owner", alice.address, "docs/q3/report.bin", bobs.toString());

    alice.ok("share", "docs/q3/report.bin", "--public");
    Account carol = new Account("carol");
    Path carols = root.resolve("carols");
    carol.ok("get", "--owner", alice.address, "docs/q3/report.bin", carols.toString());
    assertArrayEquals(Files.readAllBytes(v3), Files.readAllBytes(carols), "public: anyone reads");

    alice.ok("rm", "docs/q3/report.bin");
    assertEquals("", alice.ok("ls", "docs").strip());

    Account dave = new Account("dave"); // a wallet that never talked to the ledger
    alice.ok("put", v3.toString(), "docs/x");
    String noKey = alice.refused("share", "docs/x", "--with", dave.address);
    assertTrue(noKey.contains(dave.address + " has not published an encryption key"), noKey);
    assertTrue(noKey.contains("deoss faucet"), noKey);
    assertTrue(
        alice.refused("share", "docs/x", "--with", "nobody").contains("not an account address"));
    assertTrue(
        alice.refused("put", root.resolve("missing").toString(), "docs/y").contains("no file"));
    assertTrue(alice.refused("get", "docs").contains("BUCKET/KEY"));
    assertTrue(alice.refused("put", v3.toString(), "Docs/y").contains("bad bucket name"));
    assertTrue(
        alice.refused("get", "docs/nothing", root.resolve("n").toString()).contains("no object"));
  }

  @Test
  @Timeout(600)
  void sharedObject_appearsReadOnlyInTheGranteesMount() throws Exception {
    alice.ok("bucket", "create", "album");
    Path photo = file("photo", 2 << 20, new SplittableRandom(SEED + 1));
    alice.ok("put", photo.toString(), "album/2024/photo.jpg");
    alice.ok("share", "album/2024/photo.jpg", "--with", bob.address);
    Path mnt = root.resolve("bob-mnt");
    MountProcess mount =
        MountProcess.start(bob.home, mnt, cluster.nodeUrl().toString(), null)
            .awaitMounted(Duration.ofSeconds(90));
    try {
      Path shared = mnt.resolve("shared-with-me");
      try (var names = Files.list(mnt)) {
        assertTrue(names.anyMatch(shared::equals), "the root shows shared-with-me");
      }
      Path file = shared.resolve(alice.address).resolve("album/2024/photo.jpg");
      assertArrayEquals(Files.readAllBytes(photo), Files.readAllBytes(file));
      FileSystemException e =
          assertThrows(FileSystemException.class, () -> Files.write(file, new byte[] {1}));
      assertTrue(String.valueOf(e.getReason()).contains("Read-only"), e.toString());
      assertThrows(
          FileSystemException.class,
          () -> Files.createDirectory(shared.resolve(alice.address).resolve("new")));
      assertThrows(FileSystemException.class, () -> Files.delete(file));
    } finally {
      assertEquals(0, mount.stop(Duration.ofSeconds(120)), mount.diagnostics());
    }
  }
}
