package org.deoss.core.ledger;

import static org.deoss.core.ledger.Fixture.TOKEN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.deoss.core.account.AccountKeys;
import org.junit.jupiter.api.Test;

/**
 * Proof rewards paid from the reward pool, stake slashed into it for missed challenges, what a
 * frozen miner's exit returns, and that tokens are neither made nor lost by any of it.
 */
class AuditEconomicsTest {
  private static final long STAKE = 4000 * TOKEN;
  // 10 GiB for 30 days at 0.01 per GiB-day, as Fixture.standard() buys
  private static final long PURCHASE = 3 * TOKEN;

  private static Fixture economy(ProofVerifier verifier, long reward, long penalty) {
    Fixture f =
        new Fixture(
            b ->
                b.audits(2, 1, 4, 8, 2)
                    .proofVerifier(verifier)
                    .offlineAfterMillis(1L << 50)
                    .economics(reward, penalty));
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

  private static AccountKeys keysOf(Fixture f, Challenge ch) {
    return f.miners.stream().filter(k -> k.id().equals(ch.miner())).findFirst().orElseThrow();
  }

  private static MinerInfo frozenMiner(Fixture f) {
    for (int guard = 0; guard < 1000; guard++) {
      var frozen =
          f.state.miners().stream().filter(m -> m.status() == MinerStatus.FROZEN).findFirst();
      if (frozen.isPresent()) {
        return frozen.get();
      }
      f.tick();
    }
    throw new AssertionError("no miner froze");
  }

  @Test
  void spacePurchases_feedTheRewardPool() {
    Fixture f = economy(ProofVerifier.structural(), TOKEN / 2, 2 * TOKEN);
    assertEquals(PURCHASE, f.state.rewardPool());
    f.ok(f.alice, new Call.RenewSpace(10));
    f.ok(f.alice, new Call.ExpandSpace(1));
    // renew: 10 GiB x 10 days; expand: 1 GiB x the 40 days left
    assertEquals(PURCHASE + TOKEN + 4 * TOKEN / 10, f.state.rewardPool());
  }

  @Test
  void aPassingProof_creditsTheRewardFromThePool_toTheMinersBalance() {
    Fixture f = economy(ProofVerifier.structural(), TOKEN / 2, 2 * TOKEN);
    Challenge ch = awaitChallenge(f);
    AccountKeys miner = keysOf(f, ch);
    long balance = f.state.account(miner.id()).balance();
    f.ok(miner, new Call.SubmitProof(ch.id(), new byte[] {1}));
    assertEquals(balance + TOKEN / 2, f.state.account(miner.id()).balance());
    assertEquals(PURCHASE - TOKEN / 2, f.state.rewardPool());
    MinerInfo info = f.state.miner(miner.id()).orElseThrow();
    assertEquals(TOKEN / 2, info.rewards());
    assertEquals(0, info.penalties());
    assertEquals(STAKE, info.stake(), "a proof does not touch the stake");
  }

  @Test
  void aProof_whenThePoolHoldsLessThanTheReward_getsWhatIsLeft_thenNothing() {
    Fixture f = economy(ProofVerifier.structural(), 2 * TOKEN, 0);
    long paid = 0;
    for (int i = 0; i < 2; i++) {
      Challenge ch = awaitChallenge(f);
      AccountKeys miner = keysOf(f, ch);
      long before = f.state.account(miner.id()).balance();
      f.ok(miner, new Call.SubmitProof(ch.id(), new byte[] {1}));
      paid += f.state.account(miner.id()).balance() - before;
    }
    assertEquals(PURCHASE, paid, "2 + the 1 left");
    assertEquals(0, f.state.rewardPool());
    Challenge ch = awaitChallenge(f);
    AccountKeys miner = keysOf(f, ch);
    long before = f.state.account(miner.id()).balance();
    f.ok(miner, new Call.SubmitProof(ch.id(), new byte[] {1}));
    assertEquals(before, f.state.account(miner.id()).balance(), "an empty pool pays nothing");
  }

  @Test
  void aMissedChallenge_slashesTheStake_intoThePool_andAFrozenMinersExitReturnsWhatIsLeft() {
    Fixture f = economy((c, p) -> false, TOKEN / 2, 2 * TOKEN);
    MinerInfo frozen = frozenMiner(f);
    assertEquals(2, frozen.faults());
    assertEquals(4 * TOKEN, frozen.penalties());
    assertEquals(STAKE - 4 * TOKEN, frozen.stake());
    assertEquals(PURCHASE + penalties(f), f.state.rewardPool());
    AccountKeys keys =
        f.miners.stream().filter(k -> k.id().equals(frozen.id())).findFirst().orElseThrow();
    long balance = f.state.account(keys.id()).balance();
    f.ok(keys, new Call.ExitMiner());
    // Its fragments go with the object; with nothing left on it, the exit finishes.
    f.ok(f.alice, new Call.DeleteObject(f.alice.id(), "photos", "a"));
    f.tick();
    assertTrue(f.state.miner(keys.id()).isEmpty(), "the miner left");
    assertEquals(balance + STAKE - 4 * TOKEN, f.state.account(keys.id()).balance());
  }

  @Test
  void thePenalty_neverTakesMoreThanTheStakeHolds() {
    Fixture f = economy((c, p) -> false, 0, 3000 * TOKEN);
    MinerInfo frozen = frozenMiner(f);
    assertEquals(0, frozen.stake());
    assertEquals(STAKE, frozen.penalties(), "3000, then the 1000 left");
    assertEquals(PURCHASE + penalties(f), f.state.rewardPool());
  }

  private static long penalties(Fixture f) {
    return f.state.miners().stream().mapToLong(MinerInfo::penalties).sum();
  }

  /** Every token that exists: balances, stakes and the pool. */
  private static long total(Fixture f, List<AccountKeys> accounts) {
    long sum = f.state.rewardPool();
    for (AccountKeys k : accounts) {
      sum += f.state.account(k.id()).balance();
      sum += f.state.miner(k.id()).map(MinerInfo::stake).orElse(0L);
    }
    return sum;
  }

  @Test
  void purchasesProofsPenaltiesAndExits_conserveTokens() {
    long seed = 20261124L;
    SplittableRandom random = new SplittableRandom(seed);
    Fixture f = economy(ProofVerifier.structural(), TOKEN / 3, 7 * TOKEN);
    List<AccountKeys> everyone = new ArrayList<>(f.miners);
    everyone.addAll(List.of(f.alice, f.bob, f.carol));
    long total = total(f, everyone);
    Set<Long> seen = new HashSet<>();
    for (int step = 0; step < 300; step++) {
      int what = random.nextInt(10);
      if (what == 0) {
        f.ok(f.alice, new Call.RenewSpace(1 + random.nextInt(5)));
      } else if (what == 1
          && f.state.miners().stream().allMatch(m -> m.status() == MinerStatus.ACTIVE)) {
        f.ok(f.alice, f.put(f.alice, "photos", "k" + random.nextInt(4), 1 + random.nextInt(9000)));
      } else if (what == 2 && step > 200) {
        AccountKeys m = f.miners.get(random.nextInt(f.miners.size()));
        if (f.state.miner(m.id()).map(i -> i.status() != MinerStatus.EXITING).orElse(false)) {
          f.ok(m, new Call.ExitMiner());
        }
      }
      // each new challenge is answered at once or left to run out, at random
      for (Challenge ch : f.state.challenges()) {
        if (seen.add(ch.id()) && random.nextBoolean() && f.state.challenges().contains(ch)) {
          f.ok(keysOf(f, ch), new Call.SubmitProof(ch.id(), new byte[] {1}));
        }
      }
      f.tick();
      assertEquals(total, total(f, everyone), "step " + step + ", seed " + seed);
    }
    long rewards = 0;
    long penalties = 0;
    for (MinerInfo m : f.state.miners()) {
      rewards += m.rewards();
      penalties += m.penalties();
    }
    assertTrue(rewards > 0 && penalties > 0, "both happened (seed " + seed + ")");
  }

  @Test
  void snapshots_keepThePool_rewardsAndPenalties_andVersion3ReadsThemAsZero() {
    Fixture f = economy((c, p) -> false, TOKEN / 2, 2 * TOKEN);
    frozenMiner(f);
    byte[] snap = f.state.snapshot();
    LedgerState back = LedgerState.restore(f.genesis, snap);
    assertArrayEquals(snap, back.snapshot());
    assertEquals(f.state.rewardPool(), back.rewardPool());
    assertEquals(f.state.miners(), back.miners());
    LedgerState v3 = LedgerState.restore(f.genesis, StateCodec.encode(f.state, 3));
    assertEquals(0, v3.rewardPool());
    assertTrue(v3.miners().stream().allMatch(m -> m.rewards() == 0 && m.penalties() == 0));
    assertFalse(f.state.miners().stream().allMatch(m -> m.penalties() == 0));
  }
}
