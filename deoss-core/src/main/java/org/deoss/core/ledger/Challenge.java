package org.deoss.core.ledger;

import java.util.List;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;

/**
 * An audit challenge derived from a block hash: the miner must prove, for each listed fragment, the
 * 1 KiB leaf at the given index against the fragment's id (its Merkle root), by block {@code
 * deadlineHeight}. Missing the deadline counts a fault.
 */
public record Challenge(
    long id,
    AccountId miner,
    List<Hash256> fragments,
    List<Integer> leafIndices,
    long issuedHeight,
    long deadlineHeight) {
  public Challenge {
    fragments = List.copyOf(fragments);
    leafIndices = List.copyOf(leafIndices);
    if (fragments.size() != leafIndices.size()) {
      throw new IllegalArgumentException(
          fragments.size() + " fragments but " + leafIndices.size() + " leaf indices");
    }
  }
}
