package org.deoss.core.ledger.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.SignedTransaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes at ledger level: commit blocks one by one, then cut the journal file at every record
 * boundary and at offsets inside records, reopen, and check the state is exactly the state after
 * the intact prefix of blocks.
 */
class EmbeddedLedgerCrashTest {
  private static final String NET = "crash-net";
  @TempDir Path tmp;
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final AccountKeys alice = key(1);
  private final AccountKeys bob = key(2);

  private static AccountKeys key(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    seed[4] = 77;
    return AccountKeys.fromSeed(seed);
  }

  private Genesis genesis() {
    return Genesis.builder(NET)
        .genesisTimeMillis(clock.get())
        .endow(alice.id(), 1_000 * Genesis.TOKEN)
        .faucet(Genesis.TOKEN, 100, Genesis.DAY_MILLIS)
        .audits(0, 1, 1, 1, 1)
        .build();
  }

  private EmbeddedLedger.Options options(int snapshotEvery) {
    return new EmbeddedLedger.Options(16, snapshotEvery, clock::get, 0);
  }

  private static Map<Path, Long> sizes(Path dir) throws IOException {
    Map<Path, Long> out = new HashMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p), Files.size(p));
      }
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @Test
  void cutJournal_reopensAtExactlyTheDurablePrefix() throws Exception {
    Path dir = tmp.resolve("ledger");
    Genesis genesis = genesis();
    int blocks = 12;
    List<byte[]> states = new ArrayList<>();
    List<Map<Path, Long>> fileSizes = new ArrayList<>();
    try (EmbeddedLedger l = EmbeddedLedger.open(dir, genesis, options(1_000_000))) {
      states.add(l.snapshot());
      fileSizes.add(sizes(dir));
      for (int i = 0; i < blocks; i++) {
        clock.addAndGet(1000);
        Call c = i % 3 == 0 ? new Call.Faucet() : new Call.Transfer(bob.id(), i + 1);
        l.submit(SignedTransaction.sign(alice, NET, i, c)).join();
        states.add(l.snapshot());
        fileSizes.add(sizes(dir));
      }
    }
    // The journal is the file that grew with every block.
    List<Path> grown = new ArrayList<>();
    for (Path p : fileSizes.get(blocks).keySet()) {
      if (!fileSizes.get(0).getOrDefault(p, 0L).equals(fileSizes.get(blocks).get(p))) {
        grown.add(p);
      }
    }
    assertEquals(1, grown.size(), "expected one journal file to grow, got " + grown);
    Path journal = grown.get(0);
    long[] boundary = new long[blocks + 1];
    for (int k = 0; k <= blocks; k++) {
      boundary[k] = fileSizes.get(k).getOrDefault(journal, 0L);
    }
    TreeSet<Long> cuts = new TreeSet<>();
    for (int k = 0; k <= blocks; k++) {
      cuts.add(boundary[k]);
      if (k < blocks) {
        cuts.add(boundary[k] + 1);
        cuts.add((boundary[k] + boundary[k + 1]) / 2);
        cuts.add(boundary[k + 1] - 1);
      }
    }
    int run = 0;
    for (long cut : cuts) {
      int expected = 0;
      while (expected < blocks && boundary[expected + 1] <= cut) {
        expected++;
      }
      Path copy = tmp.resolve("cut-" + run++);
      copyTree(dir, copy);
      try (RandomAccessFile f =
          new RandomAccessFile(copy.resolve(journal.toString()).toFile(), "rw")) {
        f.setLength(cut);
      }
      try (EmbeddedLedger l = EmbeddedLedger.open(copy, genesis, options(1_000_000))) {
        assertArrayEquals(
            states.get(expected),
            l.snapshot(),
            "cut at byte " + cut + " should keep exactly " + expected + " blocks");
        assertEquals(expected, l.nextNonce(alice.id()), "acknowledged transactions before the cut");
        // The ledger goes on after the torn tail.
        clock.addAndGet(1000);
        l.submit(SignedTransaction.sign(alice, NET, expected, new Call.Transfer(bob.id(), 1)))
            .join();
      }
      try (EmbeddedLedger l = EmbeddedLedger.open(copy, genesis, options(1_000_000))) {
        assertEquals(expected + 1, l.nextNonce(alice.id()), "the block after the cut is durable");
      }
    }
    assertTrue(run > 3 * blocks);
  }

  @Test
  void snapshotsAndReplay_giveTheSameStateAfterReopen() throws Exception {
    Path dir = tmp.resolve("snap");
    Genesis genesis = genesis();
    byte[] before;
    try (EmbeddedLedger l = EmbeddedLedger.open(dir, genesis, options(4))) {
      for (int i = 0; i < 23; i++) {
        clock.addAndGet(1000);
        l.submit(SignedTransaction.sign(alice, NET, i, new Call.Transfer(bob.id(), 1))).join();
      }
      before = l.snapshot();
    }
    try (EmbeddedLedger l = EmbeddedLedger.open(dir, genesis, options(4))) {
      assertArrayEquals(before, l.snapshot());
      assertEquals(23, l.nextNonce(alice.id()));
    }
  }
}
