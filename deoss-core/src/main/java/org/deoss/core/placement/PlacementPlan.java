package org.deoss.core.placement;

import java.util.List;
import org.deoss.core.account.AccountId;

/**
 * Where the fragments of one segment go: {@code miners.get(i)} receives fragment {@code i}.
 *
 * @param toleratedMinerFailures how many miners may fail (the worst ones) with the segment still
 *     readable; {@code parityShards} when every fragment has its own miner
 * @param toleratedZoneFailures the same for whole zones
 */
public record PlacementPlan(
    List<AccountId> miners,
    int distinctMiners,
    int distinctZones,
    int toleratedMinerFailures,
    int toleratedZoneFailures) {
  public PlacementPlan {
    miners = List.copyOf(miners);
  }

  /** Whether the plan gives every fragment a miner of its own. */
  public boolean fullySpread() {
    return distinctMiners == miners.size();
  }
}
