package org.deoss.tests.durability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deoss.core.account.AccountId;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.SpaceState;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.SegmentRef;
import org.deoss.tests.cluster.LocalCluster;
import org.deoss.tests.mount.Tools;
import org.deoss.transfer.node.RemoteLedgerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Space expiry end to end over real processes: a node whose "day" lasts 5 seconds and whose grace
 * period is 25, four miners that collect fragments unreferenced and older than 10 s, and every user
 * step a {@code deoss} command. Space bought for 4 days runs out after 20 s: writes are refused
 * with words that say why, reads still work; after the grace period the objects are gone from the
 * ledger and from the miners' disks.
 */
class SpaceExpiryTest {
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final long SEED = 20261125;

  @TempDir Path root;

  private LocalCluster cluster;

  private Tools.Result run(Path home, String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", home.toString()));
    if (!args[0].equals("wallet")) {
      all.addAll(List.of("--node", cluster.nodeUrl().toString()));
    }
    return Tools.run(LocalCluster.deoss(all.toArray(String[]::new)), null, CLI_TIMEOUT);
  }

  private String ok(Path home, String... args) throws IOException, InterruptedException {
    return run(home, args).orThrow().output();
  }

  @Test
  @Timeout(180)
  void expiredSpace_isReadOnly_thenAfterTheGracePeriod_itsObjectsAndFragmentsAreGone()
      throws Exception {
    cluster =
        new LocalCluster(
            root.resolve("cluster"),
            4,
            List.of("--day-length", "5s", "--grace", "25s", "--block-interval", "250ms"),
            // Every fragment a file, so that its collection shows on disk; the collection of
            // packed fragments is covered by PackedStoreTest.
            List.of(
                "--heartbeat",
                "1s",
                "--collect-every",
                "500ms",
                "--collect-grace",
                "10s",
                "--packed-max",
                "0"));
    try (LocalCluster running = cluster) {
      cluster.start();
      Path home = root.resolve("user");
      Files.createDirectories(home);
      ok(home, "wallet", "create");
      AccountId user = AccountId.parse(ok(home, "wallet", "show").strip());
      byte[] data = new byte[3 << 20];
      new SplittableRandom(SEED).nextBytes(data);
      Path file = root.resolve("data.bin");
      Files.write(file, data);
      try (RemoteLedgerClient ledger =
          RemoteLedgerClient.connect(cluster.nodeUrl(), RemoteLedgerClient.Options.defaults())) {
        ok(home, "faucet");
        ok(home, "space", "buy", "--gib", "1", "--days", "4");
        ok(home, "bucket", "create", "short");
        ok(home, "put", file.toString(), "short/data.bin");
        assertEquals(
            SpaceState.ACTIVE,
            ledger.account(user).space().state(),
            "the put ran inside the 20 s of space (seed " + SEED + ")");
        ObjectRecord record = ledger.object(user, "short", "data.bin").orElseThrow();
        Set<String> fragments = new HashSet<>();
        for (SegmentRef s : record.manifest().segments()) {
          for (FragmentRef f : s.fragments()) {
            fragments.add(f.hash().toHex());
          }
        }
        assertEquals(fragments.size(), onMinerDisks(fragments).size(), "every fragment stored");

        await(
            () -> ledger.account(user).space().state() == SpaceState.FROZEN,
            () -> "space frozen; now " + ledger.account(user).space());
        Path back = root.resolve("back.bin");
        ok(home, "get", "short/data.bin", back.toString());
        assertArrayEquals(data, Files.readAllBytes(back), "an expired account still reads");
        assertTrue(ok(home, "ls", "short").contains("data.bin"));
        Tools.Result refused = run(home, "put", file.toString(), "short/more.bin");
        assertEquals(2, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("space has expired"), refused.output());
        assertTrue(refused.output().contains("read-only"), refused.output());
        assertEquals(
            SpaceState.FROZEN,
            ledger.account(user).space().state(),
            "the reads ran inside the 25 s grace period");

        await(
            () -> ledger.object(user, "short", "data.bin").isEmpty(),
            () -> "the object purged; space " + ledger.account(user).space());
        assertEquals(SpaceState.NONE, ledger.account(user).space().state());
        assertFalse(ok(home, "ls", "short").contains("data.bin"));
        Tools.Result gone = run(home, "get", "short/data.bin", root.resolve("gone").toString());
        assertNotEquals(0, gone.exitCode(), gone.output());
        await(
            () -> onMinerDisksUnchecked(fragments).isEmpty(),
            () -> "the miners collected the fragments; left " + onMinerDisksUnchecked(fragments));
      }
    }
  }

  /** The fragments of {@code ids} still in some miner's store. */
  private Set<String> onMinerDisks(Set<String> ids) throws IOException {
    Set<String> found = new HashSet<>();
    for (int i = 0; i < cluster.minerCount(); i++) {
      Path dir = cluster.minerHome(i).resolve("fragments");
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.map(p -> p.getFileName().toString()).filter(ids::contains).forEach(found::add);
      }
    }
    return found;
  }

  private Set<String> onMinerDisksUnchecked(Set<String> ids) {
    try {
      return onMinerDisks(ids);
    } catch (IOException e) {
      return ids; // a file vanished during the walk: look again
    }
  }

  private static void await(BooleanSupplier condition, Supplier<String> what) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for: " + what.get());
      }
      Thread.sleep(200);
    }
  }
}
