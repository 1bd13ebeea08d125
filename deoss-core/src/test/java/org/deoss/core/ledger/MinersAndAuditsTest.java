package org.deoss.core.ledger;

import static org.deoss.core.ledger.Fixture.TOKEN;
import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_ARGUMENT;
import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_PROOF;
import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_REPAIR;
import static org.deoss.core.ledger.LedgerRejection.Reason.INSUFFICIENT_BALANCE;
import static org.deoss.core.ledger.LedgerRejection.Reason.INSUFFICIENT_STAKE;
import static org.deoss.core.ledger.LedgerRejection.Reason.MINER_EXISTS;
import static org.deoss.core.ledger.LedgerRejection.Reason.MINER_NOT_ACTIVE;
import static org.deoss.core.ledger.LedgerRejection.Reason.NOT_AUTHORIZED;
import static org.deoss.core.ledger.LedgerRejection.Reason.NO_SUCH_CHALLENGE;
import static org.deoss.core.ledger.LedgerRejection.Reason.NO_SUCH_MINER;
import static org.deoss.core.ledger.LedgerRejection.Reason.NO_SUCH_REPAIR_ORDER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.manifest.FragmentRef;
import org.junit.jupiter.api.Test;

class MinersAndAuditsTest {
  private static final long TIB = 1L << 40;

  @Test
  void register_locksStake_andChecksMinimumPerTib() {
    Fixture f = new Fixture();
    AccountKeys m = f.miners.get(0);
    f.rejected(m, new Call.RegisterMiner("h:1", 2 * TIB, 7999 * TOKEN, "z"), INSUFFICIENT_STAKE);
    f.rejected(m, new Call.RegisterMiner("", TIB, 4000 * TOKEN, "z"), BAD_ARGUMENT);
    f.rejected(
        m, new Call.RegisterMiner("h:1", 3 * TIB, 12_000 * TOKEN, "z"), INSUFFICIENT_BALANCE);
    f.ok(m, new Call.RegisterMiner("h:1", 2 * TIB, 8000 * TOKEN, "z"));
    assertEquals(2000 * TOKEN, f.state.account(m.id()).balance());
    MinerInfo info = f.state.miner(m.id()).orElseThrow();
    assertEquals(MinerStatus.ACTIVE, info.status());
    assertEquals(8000 * TOKEN, info.stake());
    f.rejected(m, new Call.RegisterMiner("h:1", TIB, 4000 * TOKEN, "z"), MINER_EXISTS);
    f.rejected(f.alice, new Call.Heartbeat(1), NO_SUCH_MINER);
    f.ok(m, new Call.UpdateMiner("h:2", TIB, 0, "y"));
    assertEquals("h:2", f.state.miner(m.id()).orElseThrow().endpoint());
  }

  @Test
  void miner_withoutHeartbeat_goesOffline_andHeartbeatBringsItBack() {
    Fixture f = new Fixture(b -> b.offlineAfterMillis(60_000)).standard();
    f.advance(60_001);
    f.ok(f.miners.get(1), new Call.Heartbeat(123));
    f.tick();
    assertEquals(MinerStatus.OFFLINE, f.state.miner(f.miners.get(0).id()).orElseThrow().status());
    assertEquals(MinerStatus.ACTIVE, f.state.miner(f.miners.get(1).id()).orElseThrow().status());
    LedgerRejection r = f.rejected(f.alice, f.put(f.alice, "photos", "a", 10), MINER_NOT_ACTIVE);
    assertTrue(r.getMessage().contains("OFFLINE"));
    for (AccountKeys m : f.miners) {
      f.ok(m, new Call.Heartbeat(0));
    }
    f.ok(f.alice, f.put(f.alice, "photos", "a", 10));
  }

  private static Fixture audited(ProofVerifier verifier) {
    Fixture f =
        new Fixture(
            b -> b.audits(2, 1, 4, 8, 2).proofVerifier(verifier).offlineAfterMillis(1L << 50));
    f.standard();
    f.ok(f.alice, f.put(f.alice, "photos", "a", 5000));
    return f;
  }

  private static Challenge awaitChallenge(Fixture f) {
    for (int i = 0; i < 4 && f.state.challenges().isEmpty(); i++) {
      f.tick();
    }
    assertEquals(1, f.state.challenges().size());
    return f.state.challenges().get(0);
  }

  @Test
  void challenges_sampleAHeldFragment_andProofClosesThem() {
    Fixture f = audited(ProofVerifier.structural());
    Challenge ch = awaitChallenge(f);
    assertEquals(0, ch.issuedHeight() % 2);
    ObjectRecord o = f.state.object(f.alice.id(), "photos", "a").orElseThrow();
    FragmentRef held =
        o.manifest().segments().get(0).fragments().stream()
            .filter(fr -> fr.miner().equals(ch.miner()))
            .findFirst()
            .orElseThrow();
    assertEquals(List.of(held.hash()), ch.fragments());
    assertTrue(ch.leafIndices().get(0) < (held.length() + 1023) / 1024);
    AccountKeys miner = f.miners.stream().filter(k -> k.id().equals(ch.miner())).findFirst().get();
    AccountKeys other = f.miners.stream().filter(k -> !k.id().equals(ch.miner())).findFirst().get();
    f.rejected(other, new Call.SubmitProof(ch.id(), new byte[] {1}), NOT_AUTHORIZED);
    f.rejected(miner, new Call.SubmitProof(ch.id(), new byte[0]), BAD_PROOF);
    f.rejected(miner, new Call.SubmitProof(ch.id() + 100, new byte[] {1}), NO_SUCH_CHALLENGE);
    f.ok(miner, new Call.SubmitProof(ch.id(), new byte[] {1}));
    assertFalse(f.state.challenges().stream().anyMatch(c -> c.id() == ch.id()));
    assertEquals(1, f.state.miner(miner.id()).orElseThrow().proofs());
  }

  @Test
  void missedChallenges_countFaults_andFreezeTheMiner_whichGetsRepairOrders() {
    Fixture f = audited((c, p) -> false);
    awaitChallenge(f);
    int guard = 0;
    while (f.state.miners().stream().noneMatch(m -> m.status() == MinerStatus.FROZEN)
        && guard++ < 1000) {
      f.tick();
    }
    MinerInfo frozen =
        f.state.miners().stream()
            .filter(m -> m.status() == MinerStatus.FROZEN)
            .findFirst()
            .orElseThrow();
    assertEquals(2, frozen.faults());
    f.tick();
    List<RepairOrder> orders = f.state.repairOrders(0, 100);
    assertTrue(orders.stream().anyMatch(o -> o.fromMiner().equals(frozen.id())));
  }

  @Test
  void completeRepair_movesTheFragment_andChecksTheOrder() {
    Fixture f = new Fixture().standard();
    f.ok(f.alice, f.put(f.alice, "photos", "a", 5000));
    AccountKeys leaving = f.miners.get(3);
    AccountKeys newcomer = Fixture.keys(500);
    f.ok(f.bob, new Call.Transfer(newcomer.id(), 5000 * TOKEN));
    f.ok(newcomer, new Call.RegisterMiner("n:1", TIB, 4000 * TOKEN, "z"));
    f.ok(leaving, new Call.ExitMiner());
    f.rejected(leaving, new Call.ExitMiner(), MINER_NOT_ACTIVE);
    f.tick();
    List<RepairOrder> orders = f.state.repairOrders(0, 10);
    assertEquals(1, orders.size());
    RepairOrder order = orders.get(0);
    assertEquals(3, order.fragment());
    FragmentRef old =
        f.state
            .object(f.alice.id(), "photos", "a")
            .orElseThrow()
            .manifest()
            .segments()
            .get(0)
            .fragments()
            .get(3);
    FragmentRef placed = old.movedTo(newcomer.id());
    f.rejected(f.carol, new Call.CompleteRepair(order.id(), placed), NOT_AUTHORIZED);
    f.rejected(
        newcomer,
        new Call.CompleteRepair(
            order.id(), new FragmentRef(3, f.randomHash(), old.length(), newcomer.id())),
        BAD_REPAIR);
    f.rejected(newcomer, new Call.CompleteRepair(order.id() + 9, placed), NO_SUCH_REPAIR_ORDER);
    long stakeBack = f.state.account(leaving.id()).balance() + 4000 * TOKEN;
    f.ok(newcomer, new Call.CompleteRepair(order.id(), placed));
    FragmentRef now =
        f.state
            .object(f.alice.id(), "photos", "a")
            .orElseThrow()
            .manifest()
            .segments()
            .get(0)
            .fragments()
            .get(3);
    assertEquals(newcomer.id(), now.miner());
    assertTrue(f.state.isReferenced(old.hash()));
    assertTrue(f.state.repairOrders(0, 10).isEmpty());
    assertEquals(1, f.state.miner(newcomer.id()).orElseThrow().fragments());
    f.tick(); // the exiting miner holds nothing: removed, stake returned
    assertTrue(f.state.miner(leaving.id()).isEmpty());
    assertEquals(stakeBack, f.state.account(leaving.id()).balance());
  }

  @Test
  void aMissedChallenge_onAFragmentWhoseObjectWasDeleted_countsNoFault() {
    Fixture f = audited((c, p) -> false);
    Challenge ch = awaitChallenge(f);
    f.ok(f.alice, new Call.DeleteObject(f.alice.id(), "photos", "a"));
    for (int i = 0; i < 20; i++) {
      f.tick();
    }
    assertTrue(f.state.challenges().stream().noneMatch(c -> c.id() == ch.id()));
    assertEquals(0, f.state.miner(ch.miner()).orElseThrow().faults());
  }

  @Test
  void olderSnapshots_withOpenChallenges_areRead_withLeafCountsFromTheRecordedLengths() {
    Fixture f = audited(ProofVerifier.structural());
    Challenge ch = awaitChallenge(f);
    assertTrue(ch.leafCounts().get(0) > 1);
    for (int version = 1; version <= 3; version++) {
      byte[] old = StateCodec.encode(f.state, version);
      LedgerState back = LedgerState.restore(f.genesis, old);
      assertEquals(f.state.challenges(), back.challenges(), "version " + version);
      assertArrayEquals(old, StateCodec.encode(back, version), "version " + version + " again");
    }
  }

  @Test
  void deletingTheObject_dropsItsRepairOrders() {
    Fixture f = new Fixture().standard();
    f.ok(f.alice, f.put(f.alice, "photos", "a", 5000));
    f.ok(f.miners.get(0), new Call.ExitMiner());
    f.tick();
    assertEquals(1, f.state.repairOrders(0, 10).size());
    f.ok(f.alice, new Call.DeleteObject(f.alice.id(), "photos", "a"));
    assertTrue(f.state.repairOrders(0, 10).isEmpty());
  }

  @Test
  void repairSegment_movesEveryOrderedFragmentInOneTransaction_signedByTheOwner() {
    Fixture f = new Fixture().standard();
    f.ok(f.alice, f.put(f.alice, "photos", "a", 5000));
    AccountKeys n1 = Fixture.keys(501);
    AccountKeys n2 = Fixture.keys(502);
    for (AccountKeys n : List.of(n1, n2)) {
      f.ok(f.bob, new Call.Transfer(n.id(), 5000 * TOKEN));
      f.ok(n, new Call.RegisterMiner("n:" + n.id(), TIB, 4000 * TOKEN, "z"));
    }
    f.ok(f.miners.get(2), new Call.ExitMiner());
    f.ok(f.miners.get(5), new Call.ExitMiner());
    f.tick();
    List<RepairOrder> orders = f.state.repairOrders(0, 10);
    assertEquals(2, orders.size());
    List<Long> ids = List.of(orders.get(0).id(), orders.get(1).id());
    Call.RepairSegment repair = new Call.RepairSegment(ids, List.of(n1.id(), n2.id()));
    f.rejected(f.bob, repair, NOT_AUTHORIZED);
    f.rejected(
        f.alice,
        new Call.RepairSegment(ids, List.of(n1.id(), f.miners.get(5).id())),
        MINER_NOT_ACTIVE);
    f.rejected(
        f.alice,
        new Call.RepairSegment(List.of(ids.get(0), ids.get(0)), List.of(n1.id(), n2.id())),
        BAD_REPAIR);
    f.rejected(
        f.alice,
        new Call.RepairSegment(List.of(ids.get(0) + 99), List.of(n1.id())),
        NO_SUCH_REPAIR_ORDER);
    f.ok(f.alice, new Call.Authorize(f.carol.id()));
    f.ok(f.carol, repair);
    List<FragmentRef> frags =
        f.state
            .object(f.alice.id(), "photos", "a")
            .orElseThrow()
            .manifest()
            .segments()
            .get(0)
            .fragments();
    assertEquals(n1.id(), frags.get(2).miner());
    assertEquals(n2.id(), frags.get(5).miner());
    assertTrue(f.state.repairOrders(0, 10).isEmpty());
    f.tick();
    assertTrue(f.state.miner(f.miners.get(2).id()).isEmpty(), "the exited miner is gone");
  }
}
