package org.deoss.core.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.deoss.core.account.AccountId;
import org.junit.jupiter.api.Test;

class PlacementTest {
  private static final long SEED = 42;
  private static final long GIB = 1L << 30;

  private static AccountId miner(int i) {
    byte[] key = new byte[32];
    key[0] = (byte) i;
    key[1] = (byte) (i >> 8);
    return AccountId.of(key);
  }

  private static List<Candidate> miners(int count, int zones, long free) {
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new Candidate(miner(i), "zone-" + (i % zones), free));
    }
    return out;
  }

  @Test
  void place_twelveMiners_givesEveryFragmentItsOwnMiner() {
    Placement p = Placement.create(4, 8, new SplittableRandom(SEED));
    PlacementPlan plan = p.place(miners(12, 1, GIB), 8 << 20, Set.of());
    assertEquals(12, new HashSet<>(plan.miners()).size());
    assertTrue(plan.fullySpread());
    assertEquals(8, plan.toleratedMinerFailures());
  }

  @Test
  void place_fourZones_neverPutsMoreThanThreeFragmentsInOneZone() {
    Placement p = Placement.create(4, 8, new SplittableRandom(SEED));
    List<Candidate> candidates = miners(12, 4, GIB);
    Map<AccountId, String> zoneOf = new HashMap<>();
    candidates.forEach(c -> zoneOf.put(c.miner(), c.zone()));
    for (int round = 0; round < 200; round++) {
      PlacementPlan plan = p.place(candidates, 1 << 20, Set.of());
      Map<String, Integer> perZone = new HashMap<>();
      plan.miners().forEach(m -> perZone.merge(zoneOf.get(m), 1, Integer::sum));
      assertEquals(4, perZone.size(), "seed " + SEED + " round " + round);
      perZone.values().forEach(n -> assertEquals(3, n));
      // losing any one zone leaves 9 >= 4; any two leave 6; any three leave 3 < 4
      assertEquals(2, plan.toleratedZoneFailures());
    }
  }

  @Test
  void place_fewerMinersThanFragments_doublesUpAndReportsReducedTolerance() {
    Placement p = Placement.create(4, 8, new SplittableRandom(SEED));
    PlacementPlan plan = p.place(miners(5, 1, GIB), 1 << 20, Set.of());
    assertEquals(12, plan.miners().size());
    assertEquals(5, plan.distinctMiners());
    assertFalse(plan.fullySpread());
    // 12 over 5 miners is 3,3,2,2,2: losing the two biggest leaves 6, a third leaves 4, a fourth 2.
    assertEquals(3, plan.toleratedMinerFailures());
  }

  @Test
  void place_skipsExcludedAndFullMiners() {
    Placement p = Placement.create(2, 2, new SplittableRandom(SEED));
    List<Candidate> candidates = new ArrayList<>(miners(6, 1, GIB));
    candidates.set(0, new Candidate(miner(0), "zone-0", 10)); // too full
    PlacementPlan plan = p.place(candidates, 1000, Set.of(miner(1)));
    assertFalse(plan.miners().contains(miner(0)));
    assertFalse(plan.miners().contains(miner(1)));
    assertEquals(4, plan.distinctMiners());
  }

  @Test
  void place_noRoomAnywhere_failsNamingTheSize() {
    Placement p = Placement.create(4, 8, new SplittableRandom(SEED));
    NoCapacityException e =
        assertThrows(NoCapacityException.class, () -> p.place(miners(12, 2, 100), 1000, Set.of()));
    assertTrue(e.getMessage().contains("1000 bytes"), e.getMessage());
  }

  @Test
  void place_prefersMinersWithMoreRoom() {
    Placement p = Placement.create(1, 1, new SplittableRandom(SEED));
    List<Candidate> candidates = new ArrayList<>();
    candidates.add(new Candidate(miner(0), "z", 100 * GIB));
    for (int i = 1; i <= 9; i++) {
      candidates.add(new Candidate(miner(i), "z", GIB));
    }
    int bigChosen = 0;
    int rounds = 2000;
    for (int r = 0; r < rounds; r++) {
      if (p.place(candidates, 1, Set.of()).miners().contains(miner(0))) {
        bigChosen++;
      }
    }
    // With uniform choice the big miner would be in ~20% of plans; weighted, in nearly all.
    assertTrue(bigChosen > rounds * 0.9, "seed " + SEED + ": big miner chosen " + bigChosen);
  }

  @Test
  void place_sameSeed_samePlan() {
    List<Candidate> candidates = miners(30, 3, GIB);
    PlacementPlan a =
        Placement.create(4, 8, new SplittableRandom(9)).place(candidates, 1, Set.of());
    PlacementPlan b =
        Placement.create(4, 8, new SplittableRandom(9)).place(candidates, 1, Set.of());
    assertEquals(a, b);
  }

  @Test
  void create_badCoding_namesValues() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Placement.create(200, 56, new SplittableRandom(1)));
    assertTrue(e.getMessage().contains("k=200"), e.getMessage());
  }
}
