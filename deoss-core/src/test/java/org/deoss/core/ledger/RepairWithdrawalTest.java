package org.deoss.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.junit.jupiter.api.Test;

/**
 * The rule that makes lazy repair safe: a miner that comes back from OFFLINE gets its open repair
 * orders withdrawn (rules version 2) and is audited in the next round; FROZEN and EXITING miners
 * keep theirs.
 */
class RepairWithdrawalTest {
  private static final long OFFLINE_AFTER = 60_000;

  /** Miners 0 and 1 fall silent and go OFFLINE while the others keep beating; one object stored. */
  private static Fixture twoSilent(Consumer<Genesis.Builder> tweak) {
    Fixture f = new Fixture(b -> tweak.accept(b.offlineAfterMillis(OFFLINE_AFTER))).standard();
    f.ok(f.alice, f.put(f.alice, "photos", "a", 5000));
    f.advance(OFFLINE_AFTER / 2);
    for (AccountKeys m : f.miners.subList(2, f.miners.size())) {
      f.ok(m, new Call.Heartbeat(0));
    }
    f.advance(OFFLINE_AFTER / 2 + 1);
    f.tick();
    assertEquals(MinerStatus.OFFLINE, status(f, f.miners.get(0)));
    assertEquals(MinerStatus.OFFLINE, status(f, f.miners.get(1)));
    assertEquals(MinerStatus.ACTIVE, status(f, f.miners.get(2)));
    assertEquals(Set.of(id(f, 0), id(f, 1)), orderedFrom(f));
    return f;
  }

  private static AccountId id(Fixture f, int i) {
    return f.miners.get(i).id();
  }

  private static MinerStatus status(Fixture f, AccountKeys m) {
    return f.state.miner(m.id()).orElseThrow().status();
  }

  private static Set<AccountId> orderedFrom(Fixture f) {
    return f.state.repairOrders(0, 1000).stream()
        .map(RepairOrder::fromMiner)
        .collect(Collectors.toSet());
  }

  @Test
  void aMinerBackFromOffline_getsItsOrdersWithdrawn_whileAnotherStillOfflineKeepsHis() {
    Fixture f = twoSilent(b -> {});
    f.ok(f.miners.get(0), new Call.Heartbeat(0));
    assertEquals(MinerStatus.ACTIVE, status(f, f.miners.get(0)));
    assertEquals(Set.of(id(f, 1)), orderedFrom(f));
    f.tick();
    assertEquals(Set.of(id(f, 1)), orderedFrom(f), "no new order for the miner that is back");
  }

  @Test
  void underRulesVersion1_aReturningMiner_keepsItsOrders() {
    Fixture f = twoSilent(b -> b.rulesVersion(1));
    f.ok(f.miners.get(0), new Call.Heartbeat(0));
    assertEquals(MinerStatus.ACTIVE, status(f, f.miners.get(0)));
    assertEquals(Set.of(id(f, 0), id(f, 1)), orderedFrom(f));
  }

  @Test
  void aFrozenOrExitingMiner_thatBeats_keepsItsOrders() {
    Fixture f = twoSilent(b -> {});
    f.ok(f.miners.get(0), new Call.ExitMiner());
    f.ok(f.miners.get(0), new Call.Heartbeat(0));
    assertEquals(MinerStatus.EXITING, status(f, f.miners.get(0)));
    assertEquals(Set.of(id(f, 0), id(f, 1)), orderedFrom(f));

    Fixture g = new Fixture(b -> b.audits(2, 1, 4, 4, 1).proofVerifier((c, p) -> false));
    g.standard();
    g.ok(g.alice, g.put(g.alice, "photos", "a", 5000));
    MinerInfo frozen = null;
    for (int i = 0; i < 100 && frozen == null; i++) {
      g.tick();
      frozen =
          g.state.miners().stream()
              .filter(m -> m.status() == MinerStatus.FROZEN)
              .findFirst()
              .orElse(null);
    }
    AccountId fid = frozen.id();
    g.tick();
    assertTrue(orderedFrom(g).contains(fid));
    AccountKeys keys = g.miners.stream().filter(k -> k.id().equals(fid)).findFirst().get();
    g.ok(keys, new Call.Heartbeat(0));
    assertEquals(MinerStatus.FROZEN, status(g, keys), "a heartbeat does not thaw a frozen miner");
    assertTrue(orderedFrom(g).contains(fid));
  }

  @Test
  void aMinerBackFromOffline_isChallengedInTheNextAuditRound_besideTheSample() {
    Fixture f = twoSilent(b -> b.audits(4, 1, 2, 100, 3).proofVerifier(ProofVerifier.structural()));
    f.ok(f.miners.get(0), new Call.Heartbeat(0));
    long round = 0;
    for (int i = 0; i < 8 && round == 0; i++) {
      f.tick();
      round = f.state.head().height() % 4 == 0 ? f.state.head().height() : 0;
    }
    long at = round;
    List<Challenge> issued =
        f.state.challenges().stream().filter(c -> c.issuedHeight() == at).toList();
    assertTrue(
        issued.stream().anyMatch(c -> c.miner().equals(id(f, 0))), "the returned miner: " + issued);
    assertEquals(2, issued.size(), "the returned miner and the one sampled: " + issued);
  }
}
