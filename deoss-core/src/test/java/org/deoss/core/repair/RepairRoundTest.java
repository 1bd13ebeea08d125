package org.deoss.core.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.MinerStatus;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.ledger.PutCondition;
import org.deoss.core.ledger.RepairOrder;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.SegmentRef;
import org.deoss.core.pipeline.ObjectReader;
import org.deoss.core.pipeline.ObjectWriter;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.placement.Placement;
import org.deoss.core.port.InMemoryFragmentStore;
import org.deoss.core.port.InMemoryLedger;
import org.deoss.core.port.InMemoryMinerDirectory;
import org.deoss.core.port.TxBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RepairRoundTest {
  private static final int MIB = 1 << 20;
  private static final int K = 2;
  private static final int M = 2;
  private static final int MINERS = 8;

  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final AccountKeys alice = keys(1);
  private final AccountKeys mallory = keys(2);
  private final List<AccountKeys> minerKeys = new ArrayList<>();
  private final InMemoryMinerDirectory miners = new InMemoryMinerDirectory();
  private final SecureRandom secure = new SecureRandom();
  private final ScheduledExecutorService hedger = Executors.newSingleThreadScheduledExecutor();
  private final InMemoryLedger ledger;
  private final TxBuilder aliceTx;
  private final DataKey key = DataKey.generate(secure);

  RepairRoundTest() {
    Genesis.Builder b =
        Genesis.builder("repair-test")
            .endow(alice.id(), 100_000 * Genesis.TOKEN)
            .endow(mallory.id(), 100_000 * Genesis.TOKEN);
    for (int i = 0; i < MINERS; i++) {
      AccountKeys m = keys(100 + i);
      minerKeys.add(m);
      b.endow(m.id(), 10_000 * Genesis.TOKEN);
    }
    ledger = new InMemoryLedger(b.build(), clock::get);
    for (AccountKeys m : minerKeys) {
      new TxBuilder(ledger, m)
          .submitAndWait(
              new Call.RegisterMiner("127.0.0.1:1", 1L << 40, 4000 * Genesis.TOKEN, "z"));
      miners.add(m.id(), "z", new InMemoryFragmentStore(1L << 30));
    }
    aliceTx = new TxBuilder(ledger, alice);
    aliceTx.submitAndWait(new Call.BuySpace(1, 30));
    aliceTx.submitAndWait(new Call.CreateBucket(alice.id(), "bkt"));
  }

  @AfterEach
  void stop() {
    hedger.shutdownNow();
  }

  private static AccountKeys keys(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    seed[31] = 9;
    return AccountKeys.fromSeed(seed);
  }

  private byte[] put(String name, int size, long seed) throws Exception {
    byte[] data = new byte[size];
    new SplittableRandom(seed).nextBytes(data);
    PipelineConfig config =
        PipelineConfig.defaults()
            .withSegmentSize(MIB)
            .withCoding(K, M)
            .withHedgeDelay(Duration.ZERO);
    ObjectWriter w =
        new ObjectWriter(
            config, miners, Placement.create(K, M, new SplittableRandom(seed)), secure);
    var result = w.write(ObjectId.random(secure), key, new ByteArrayInputStream(data), p -> {});
    aliceTx.submitAndWait(
        new Call.PutObject(
            alice.id(),
            "bkt",
            name,
            result.manifest(),
            PosixAttributes.of(0100644, 0, 0, 1, 1, "", Map.of()),
            Access.none(),
            PutCondition.none()));
    return data;
  }

  private ObjectRecord record(String name) {
    return ledger.object(alice.id(), "bkt", name).orElseThrow();
  }

  private byte[] read(String name) throws Exception {
    ObjectReader r = new ObjectReader(miners, hedger, Duration.ZERO, Runnable::run);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    r.readAll(record(name).manifest(), key, out, p -> {});
    return out.toByteArray();
  }

  private RepairRound round(AccountKeys as) {
    return round(as, RepairThreshold.ALL);
  }

  private RepairRound round(AccountKeys as, RepairThreshold threshold) {
    return new RepairRound(
        ledger,
        new TxBuilder(ledger, as),
        as.id(),
        new SegmentRepairer(
            miners,
            Placement.create(K, M, new SplittableRandom(3)),
            Throttle.unlimited(),
            Duration.ofSeconds(5)),
        100,
        threshold);
  }

  /** Marks miner {@code i} as leaving on the ledger and lets a block issue its repair orders. */
  private void exit(int i) {
    new TxBuilder(ledger, minerKeys.get(i)).submitAndWait(new Call.ExitMiner());
    ledger.tick();
  }

  private static Set<AccountId> holders(SegmentRef s) {
    Set<AccountId> out = new HashSet<>();
    for (FragmentRef f : s.fragments()) {
      out.add(f.miner());
    }
    return out;
  }

  @Test
  void run_afterAGracefulExit_copiesTheFragmentsAway_andTheStakeComesBack() throws Exception {
    byte[] data = put("a", 3 * MIB + 5, 11);
    AccountId leaving = record("a").manifest().segments().get(0).fragments().get(1).miner();
    int idx = minerKeys.stream().map(AccountKeys::id).toList().indexOf(leaving);
    exit(idx);
    assertFalse(ledger.repairOrders(0, 100).isEmpty());
    // A threshold of 0 would let an OFFLINE miner's segments wait forever; an exit never waits.
    RepairRound.Report rep = round(alice, RepairThreshold.parse("0")).run();
    assertEquals(0, rep.failed(), rep.toString());
    assertEquals(0, rep.rebuilt(), "a leaving miner that still serves is copied from");
    assertTrue(ledger.repairOrders(0, 100).isEmpty());
    for (SegmentRef s : record("a").manifest().segments()) {
      assertFalse(holders(s).contains(leaving));
      assertEquals(K + M, holders(s).size(), "fragments stay on distinct miners");
    }
    ledger.tick();
    assertTrue(ledger.miner(leaving).isEmpty(), "the exited miner holds nothing and is gone");
    assertArrayEquals(data, read("a"));
  }

  @Test
  void run_whenMinersVanished_rebuildsFromKHealthyFragments_andChecksEachOne() throws Exception {
    byte[] data = put("a", 2 * MIB, 12);
    SegmentRef s0 = record("a").manifest().segments().get(0);
    // Two of four miners of segment 0 are gone (their stores off line), and a third corrupts.
    List<AccountId> ids = minerKeys.stream().map(AccountKeys::id).toList();
    AccountId gone1 = s0.fragments().get(0).miner();
    AccountId gone2 = s0.fragments().get(3).miner();
    miners.memoryStore(gone1).setOnline(false);
    miners.memoryStore(gone2).setOnline(false);
    exit(ids.indexOf(gone1));
    exit(ids.indexOf(gone2));
    RepairRound.Report rep = round(alice).run();
    assertEquals(0, rep.failed(), rep.toString());
    assertTrue(rep.rebuilt() >= 2, rep.toString());
    assertTrue(ledger.repairOrders(0, 100).isEmpty());
    SegmentRef after = record("a").manifest().segments().get(0);
    assertFalse(holders(after).contains(gone1));
    assertFalse(holders(after).contains(gone2));
    assertEquals(s0.fragments().get(0).hash(), after.fragments().get(0).hash());
    assertArrayEquals(data, read("a"));
  }

  @Test
  void run_withTooFewHealthyFragments_failsTheSegment_andLeavesItsOrdersOpen() throws Exception {
    put("a", MIB, 13);
    SegmentRef s0 = record("a").manifest().segments().get(0);
    List<AccountId> ids = minerKeys.stream().map(AccountKeys::id).toList();
    for (int f = 0; f < 3; f++) {
      AccountId m = s0.fragments().get(f).miner();
      miners.memoryStore(m).setOnline(false);
      exit(ids.indexOf(m));
    }
    RepairRound.Report rep = round(alice).run();
    assertEquals(1, rep.failed());
    assertEquals(3, ledger.repairOrders(0, 100).size(), "the orders stay for a later pass");
  }

  @Test
  void run_skipsObjectsOfAccountsThatDidNotAuthorizeTheRepairer() throws Exception {
    put("a", MIB, 14);
    AccountId m = record("a").manifest().segments().get(0).fragments().get(2).miner();
    exit(minerKeys.stream().map(AccountKeys::id).toList().indexOf(m));
    RepairRound.Report rep = round(mallory).run();
    assertEquals(0, rep.segments());
    assertTrue(rep.skipped() > 0);
    assertFalse(ledger.repairOrders(0, 100).isEmpty());
    aliceTx.submitAndWait(new Call.Authorize(mallory.id()));
    assertEquals(1, round(mallory).run().segments());
    assertTrue(ledger.repairOrders(0, 100).isEmpty());
  }

  @Test
  void run_whenAnInterruptedRepairPutFragmentsAlready_redoesItIdempotently() throws Exception {
    byte[] data = put("a", MIB, 15);
    AccountId m = record("a").manifest().segments().get(0).fragments().get(0).miner();
    exit(minerKeys.stream().map(AccountKeys::id).toList().indexOf(m));
    // A repairer that placed the fragment but died before its transaction: nothing on the ledger.
    SegmentRepairer half =
        new SegmentRepairer(
            miners,
            Placement.create(K, M, new SplittableRandom(4)),
            Throttle.unlimited(),
            Duration.ofSeconds(5));
    var orders = ledger.repairOrders(0, 100);
    half.repair(record("a"), orders);
    assertEquals(orders, ledger.repairOrders(0, 100));
    assertEquals(1, round(alice).run().segments());
    assertNotEquals(m, record("a").manifest().segments().get(0).fragments().get(0).miner());
    assertArrayEquals(data, read("a"));
    assertEquals(
        MinerStatus.EXITING, ledger.miner(m).map(x -> x.status()).orElse(MinerStatus.EXITING));
  }

  @Test
  void run_withAThreshold_letsASegmentThatLostOnlyAnOfflineMinerWait_untilItsHealthyCountFallsToIt()
      throws Exception {
    byte[] data = put("a", MIB, 16);
    AccountId silent = record("a").manifest().segments().get(0).fragments().get(3).miner();
    clock.addAndGet(11 * 60_000L); // past the genesis' 10 minutes without a heartbeat
    for (AccountKeys m : minerKeys) {
      if (!m.id().equals(silent)) {
        new TxBuilder(ledger, m).submitAndWait(new Call.Heartbeat(0));
      }
    }
    ledger.tick();
    assertEquals(MinerStatus.OFFLINE, ledger.miner(silent).orElseThrow().status());
    // The first block after the pause found every miner silent and ordered repairs for all; the
    // miners that came back at once had theirs withdrawn.
    List<RepairOrder> orders = ledger.repairOrders(0, 100);
    assertEquals(1, orders.size(), orders.toString());
    assertEquals(silent, orders.get(0).fromMiner());
    // 3 of 4 fragments are healthy: above a threshold of 2, the segment waits ...
    RepairRound.Report waited = round(alice, RepairThreshold.parse("2")).run();
    assertEquals(0, waited.segments(), waited.toString());
    assertEquals(1, waited.deferred(), waited.toString());
    assertEquals(1, ledger.repairOrders(0, 100).size());
    // ... at k+1 = 3 it is repaired, back to n.
    assertEquals(1, round(alice, RepairThreshold.parse("k+1")).run().segments());
    assertTrue(ledger.repairOrders(0, 100).isEmpty());
    SegmentRef seg = record("a").manifest().segments().get(0);
    assertFalse(holders(seg).contains(silent));
    for (FragmentRef f : seg.fragments()) {
      assertEquals(MinerStatus.ACTIVE, ledger.miner(f.miner()).orElseThrow().status());
    }
    assertArrayEquals(data, read("a"));
  }
}
