package org.deoss.core.placement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.deoss.core.account.AccountId;

/**
 * Chooses miners for the n = k + m fragments of a segment.
 *
 * <p>Zones are visited round-robin, in a random order weighted by their free capacity, and each
 * visit takes the next miner of that zone, in a random order weighted by free capacity
 * (Efraimidis-Spirakis keys). So fragments land on distinct miners while there are enough, on
 * distinct zones while there are enough, and fuller miners are chosen less often. When there are
 * fewer usable miners than fragments the same walk repeats over the chosen miners, and the plan
 * reports how many failures the segment still survives rather than hiding it.
 *
 * <p>Thread-safe if the random generator is; the plan depends only on the inputs and the random.
 */
public final class Placement {
  private final int dataShards;
  private final int totalShards;
  private final RandomGenerator random;

  private Placement(int dataShards, int parityShards, RandomGenerator random) {
    this.dataShards = dataShards;
    this.totalShards = dataShards + parityShards;
    this.random = random;
  }

  /** A placement for a k + m code drawing randomness from {@code random}. */
  public static Placement create(int dataShards, int parityShards, RandomGenerator random) {
    if (dataShards < 1 || parityShards < 1 || dataShards + parityShards > 255) {
      throw new IllegalArgumentException(
          "coding k=" + dataShards + " m=" + parityShards + " is outside k>=1, m>=1, k+m<=255");
    }
    return new Placement(dataShards, parityShards, random);
  }

  /**
   * A plan for one segment whose fragments have {@code fragmentBytes} bytes each.
   *
   * @param exclude miners not to use (those that just failed, or already hold the segment)
   * @throws NoCapacityException when no candidate has room for even one fragment
   */
  public PlacementPlan place(
      Collection<Candidate> candidates, long fragmentBytes, Set<AccountId> exclude) {
    Map<AccountId, Long> room = new HashMap<>();
    Map<String, List<Candidate>> zones = new LinkedHashMap<>();
    for (Candidate c : candidates) {
      if (exclude.contains(c.miner())
          || c.freeBytes() < fragmentBytes
          || room.containsKey(c.miner())) {
        continue;
      }
      room.put(c.miner(), c.freeBytes());
      zones.computeIfAbsent(c.zone(), z -> new ArrayList<>()).add(c);
    }
    if (room.isEmpty()) {
      throw new NoCapacityException(
          "no miner can take a fragment of "
              + fragmentBytes
              + " bytes: "
              + candidates.size()
              + " candidates, "
              + exclude.size()
              + " excluded, none of the others has room");
    }
    List<List<Candidate>> zoneOrder = new ArrayList<>();
    for (List<Candidate> members : zones.values()) {
      zoneOrder.add(weightedShuffle(members));
    }
    zoneOrder = weightedZoneShuffle(zoneOrder);

    List<AccountId> chosen = new ArrayList<>(totalShards);
    Map<AccountId, String> zoneOf = new HashMap<>();
    int[] cursor = new int[zoneOrder.size()];
    boolean progress = true;
    while (chosen.size() < totalShards && progress) {
      progress = false;
      for (int z = 0; z < zoneOrder.size() && chosen.size() < totalShards; z++) {
        List<Candidate> members = zoneOrder.get(z);
        if (cursor[z] < members.size()) {
          Candidate c = members.get(cursor[z]++);
          chosen.add(c.miner());
          zoneOf.put(c.miner(), c.zone());
          room.merge(c.miner(), -fragmentBytes, Long::sum);
          progress = true;
        }
      }
    }
    // Fewer miners than fragments: go round the chosen miners again while they have room.
    List<AccountId> distinct = List.copyOf(chosen);
    int next = 0;
    int idle = 0;
    while (chosen.size() < totalShards && idle < distinct.size()) {
      AccountId m = distinct.get(next++ % distinct.size());
      if (room.get(m) >= fragmentBytes) {
        chosen.add(m);
        room.merge(m, -fragmentBytes, Long::sum);
        idle = 0;
      } else {
        idle++;
      }
    }
    if (chosen.size() < totalShards) {
      throw new NoCapacityException(
          "the miners with room can take "
              + chosen.size()
              + " of the "
              + totalShards
              + " fragments of "
              + fragmentBytes
              + " bytes");
    }
    Set<String> usedZones = new HashSet<>(zoneOf.values());
    return new PlacementPlan(
        chosen,
        distinct.size(),
        usedZones.size(),
        tolerated(countBy(chosen, m -> m)),
        tolerated(countBy(chosen, zoneOf::get)));
  }

  /**
   * One miner for a single fragment that must go elsewhere (its planned miner failed): among the
   * candidates with room, one not in {@code avoid}, then one in the zone holding the fewest of the
   * segment's fragments (a zone the segment does not use yet, while there is one), then a weighted
   * random choice by free capacity.
   *
   * @param exclude miners never to use (they failed this fragment already)
   * @param avoid miners to use only if nothing else has room (they hold this segment already);
   *     their zones count as used by the segment (those in {@code exclude} do not)
   * @throws NoCapacityException when no candidate outside {@code exclude} has room
   */
  public AccountId replacement(
      Collection<Candidate> candidates,
      long fragmentBytes,
      Set<AccountId> exclude,
      Set<AccountId> avoid) {
    Map<String, Integer> zoneLoad = new HashMap<>();
    for (Candidate c : candidates) {
      if (avoid.contains(c.miner()) && !exclude.contains(c.miner())) {
        zoneLoad.merge(c.zone(), 1, Integer::sum);
      }
    }
    Candidate best = null;
    double bestKey = Double.NEGATIVE_INFINITY;
    boolean bestAvoided = true;
    int bestLoad = Integer.MAX_VALUE;
    for (Candidate c : candidates) {
      if (exclude.contains(c.miner()) || c.freeBytes() < fragmentBytes) {
        continue;
      }
      boolean avoided = avoid.contains(c.miner());
      int load = zoneLoad.getOrDefault(c.zone(), 0);
      double k = key(c.freeBytes());
      boolean better =
          best == null
              || (bestAvoided && !avoided)
              || (avoided == bestAvoided && load < bestLoad)
              || (avoided == bestAvoided && load == bestLoad && k > bestKey);
      if (better) {
        best = c;
        bestKey = k;
        bestAvoided = avoided;
        bestLoad = load;
      }
    }
    if (best == null) {
      throw new NoCapacityException(
          "no other miner can take a fragment of "
              + fragmentBytes
              + " bytes ("
              + exclude.size()
              + " failed)");
    }
    return best.miner();
  }

  /** How many of the biggest groups can be lost with at least k fragments left, or -1 if none. */
  private int tolerated(Map<?, Integer> fragmentsPerGroup) {
    List<Integer> sizes = new ArrayList<>(fragmentsPerGroup.values());
    sizes.sort(Comparator.reverseOrder());
    int left = totalShards;
    int lost = 0;
    for (int size : sizes) {
      if (left - size < dataShards) {
        break;
      }
      left -= size;
      lost++;
    }
    return lost;
  }

  private static <K> Map<K, Integer> countBy(
      List<AccountId> miners, java.util.function.Function<AccountId, K> key) {
    Map<K, Integer> counts = new HashMap<>();
    for (AccountId m : miners) {
      counts.merge(key.apply(m), 1, Integer::sum);
    }
    return counts;
  }

  /** Members in a random order where a member with more free bytes tends to come first. */
  private List<Candidate> weightedShuffle(List<Candidate> members) {
    List<Keyed<Candidate>> keyed = new ArrayList<>();
    for (Candidate c : members) {
      keyed.add(new Keyed<>(c, key(c.freeBytes())));
    }
    keyed.sort(Comparator.comparingDouble((Keyed<Candidate> k) -> k.key).reversed());
    List<Candidate> out = new ArrayList<>();
    for (Keyed<Candidate> k : keyed) {
      out.add(k.value);
    }
    return out;
  }

  private List<List<Candidate>> weightedZoneShuffle(List<List<Candidate>> zones) {
    List<Keyed<List<Candidate>>> keyed = new ArrayList<>();
    for (List<Candidate> z : zones) {
      long free = 0;
      for (Candidate c : z) {
        free += c.freeBytes();
      }
      keyed.add(new Keyed<>(z, key(free)));
    }
    keyed.sort(Comparator.comparingDouble((Keyed<List<Candidate>> k) -> k.key).reversed());
    List<List<Candidate>> out = new ArrayList<>();
    for (Keyed<List<Candidate>> k : keyed) {
      out.add(k.value);
    }
    return out;
  }

  /** Efraimidis-Spirakis key u^(1/w), compared in log space: log(u) / w. */
  private double key(long weight) {
    double w = Math.max(1.0, (double) weight);
    double u = random.nextDouble();
    return Math.log(u == 0 ? Double.MIN_VALUE : u) / w;
  }

  private record Keyed<T>(T value, double key) {}
}
