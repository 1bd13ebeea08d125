package org.deoss.core.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.deoss.core.account.AccountId;
import org.junit.jupiter.api.Test;

/** Failure domains: the zone labels miners declare when they register. */
class PlacementZonesTest {
  private static final long GIB = 1L << 30;

  private static AccountId miner(int i) {
    byte[] key = new byte[32];
    key[0] = (byte) i;
    key[1] = (byte) (i >> 8);
    key[2] = 77;
    return AccountId.of(key);
  }

  private static Map<String, Integer> perZone(PlacementPlan plan, List<Candidate> candidates) {
    Map<AccountId, String> zoneOf = new HashMap<>();
    candidates.forEach(c -> zoneOf.put(c.miner(), c.zone()));
    Map<String, Integer> out = new HashMap<>();
    plan.miners().forEach(m -> out.merge(zoneOf.get(m), 1, Integer::sum));
    return out;
  }

  @Test
  void place_atLeastAsManyZonesAsFragments_neverTwoFragmentsInOneZone() {
    long seed = new SplittableRandom().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    Placement p = Placement.create(4, 8, new SplittableRandom(seed));
    for (int round = 0; round < 100; round++) {
      int zones = random.nextInt(12, 20);
      List<Candidate> candidates = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        // Zones of very different sizes and capacities: zone 0 holds a third of the miners.
        int zone = i % 3 == 0 ? 0 : random.nextInt(zones);
        candidates.add(new Candidate(miner(i), "z" + zone, random.nextLong(GIB, 100 * GIB)));
      }
      long used = candidates.stream().map(Candidate::zone).distinct().count();
      if (used < 12) {
        continue;
      }
      PlacementPlan plan = p.place(candidates, 1 << 20, Set.of());
      Map<String, Integer> counts = perZone(plan, candidates);
      assertEquals(12, counts.size(), "seed " + seed + " round " + round + ": " + counts);
      assertEquals(12, plan.distinctZones(), "seed " + seed + " round " + round);
      assertEquals(8, plan.toleratedZoneFailures(), "seed " + seed + " round " + round);
    }
  }

  @Test
  void place_fewerZonesThanFragments_spreadsEvenly() {
    long seed = new SplittableRandom().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    Placement p = Placement.create(4, 8, new SplittableRandom(seed));
    for (int round = 0; round < 100; round++) {
      // 5 zones of 3..6 miners each: 12 fragments go 3 or 2 per zone, never 4.
      List<Candidate> candidates = new ArrayList<>();
      int id = 0;
      for (int z = 0; z < 5; z++) {
        int members = random.nextInt(3, 7);
        for (int m = 0; m < members; m++) {
          candidates.add(new Candidate(miner(id++), "z" + z, random.nextLong(GIB, 10 * GIB)));
        }
      }
      Collections.shuffle(candidates, new java.util.Random(random.nextLong()));
      Map<String, Integer> counts = perZone(p.place(candidates, 1 << 20, Set.of()), candidates);
      assertEquals(5, counts.size(), "seed " + seed + " round " + round + ": " + counts);
      int max = Collections.max(counts.values());
      int min = Collections.min(counts.values());
      assertTrue(max - min <= 1, "seed " + seed + " round " + round + ": uneven " + counts);
    }
  }

  @Test
  void place_zoneLabels_unsetOrBlank_areOneDefaultZone() {
    assertEquals("default", new Candidate(miner(1), null, GIB).zone());
    assertEquals("default", new Candidate(miner(1), " ", GIB).zone());
  }

  @Test
  void replacement_prefersAZoneTheSegmentDoesNotUseYet() {
    long seed = new SplittableRandom().nextLong();
    Placement p = Placement.create(4, 8, new SplittableRandom(seed));
    // 13 zones of one miner; the plan used 12 of them; a miner failed: its replacement must be
    // the one miner of the 13th zone, even though it is the fullest.
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      candidates.add(new Candidate(miner(i), "z" + i, i == 12 ? 2 << 20 : 100 * GIB));
    }
    Set<AccountId> holders = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      holders.add(miner(i));
    }
    for (int round = 0; round < 50; round++) {
      AccountId next = p.replacement(candidates, 1 << 20, Set.of(miner(5)), holders);
      assertEquals(miner(12), next, "seed " + seed + " round " + round);
    }
  }

  @Test
  void replacement_withEveryZoneUsed_takesTheLeastLoadedZone() {
    long seed = new SplittableRandom().nextLong();
    Placement p = Placement.create(4, 8, new SplittableRandom(seed));
    // Zone a: 3 holders and a free miner; zone b: 1 holder and a free miner.
    List<Candidate> candidates =
        List.of(
            new Candidate(miner(0), "a", GIB),
            new Candidate(miner(1), "a", GIB),
            new Candidate(miner(2), "a", GIB),
            new Candidate(miner(3), "a", 100 * GIB),
            new Candidate(miner(4), "b", GIB),
            new Candidate(miner(5), "b", GIB));
    Set<AccountId> holders = Set.of(miner(0), miner(1), miner(2), miner(4));
    for (int round = 0; round < 50; round++) {
      AccountId next = p.replacement(candidates, 1 << 20, Set.of(), holders);
      assertEquals(miner(5), next, "seed " + seed + " round " + round);
      assertNotEquals(miner(3), next);
    }
  }
}
