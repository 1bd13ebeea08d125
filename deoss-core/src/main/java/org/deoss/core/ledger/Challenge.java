package org.deoss.core.ledger;

import java.util.List;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;

/**
 * An audit challenge derived from a block hash: the miner must prove, for each listed fragment, the
 * 1 KiB leaf at the given index against the fragment's id (its Merkle root), by block {@code
 * deadlineHeight}. Missing the deadline counts a fault.
 *
 * @param leafCounts how many leaves each fragment has (from the length recorded at upload): a proof
 *     must be for a tree of exactly that many leaves, or it could show another leaf of the fragment
 *     in the challenged leaf's place
 */
public record Challenge(
    long id,
    AccountId miner,
    List<Hash256> fragments,
    List<Integer> leafIndices,
    List<Integer> leafCounts,
    long issuedHeight,
    long deadlineHeight) {
  public Challenge {
    fragments = List.copyOf(fragments);
    leafIndices = List.copyOf(leafIndices);
    leafCounts = List.copyOf(leafCounts);
    if (fragments.size() != leafIndices.size() || fragments.size() != leafCounts.size()) {
      throw new IllegalArgumentException(
          fragments.size()
              + " fragments but "
              + leafIndices.size()
              + " leaf indices and "
              + leafCounts.size()
              + " leaf counts");
    }
    for (int i = 0; i < fragments.size(); i++) {
      if (leafCounts.get(i) < 1
          || leafIndices.get(i) < 0
          || leafIndices.get(i) >= leafCounts.get(i)) {
        throw new IllegalArgumentException(
            "fragment "
                + i
                + ": leaf index "
                + leafIndices.get(i)
                + " outside a tree of "
                + leafCounts.get(i)
                + " leaves");
      }
    }
  }
}
