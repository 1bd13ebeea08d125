package org.deoss.core.manifest;

import java.util.Objects;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;

/**
 * One fragment of a segment: its position in the code (0..k-1 data, k..n-1 parity), its id, its
 * length, and the miner holding it.
 *
 * <p>The id is the SHA-256 Merkle root of the fragment over 1 KiB leaves ({@code FragmentMerkle}):
 * it names the fragment on miners, lets a miner check a fragment while it streams in, and is the
 * root that storage audits prove leaves against (see {@code docs/decisions.md}).
 */
public record FragmentRef(int index, Hash256 hash, int length, AccountId miner) {
  public FragmentRef {
    if (index < 0 || index > 254) {
      throw new IllegalArgumentException("fragment index must be in 0..254, got " + index);
    }
    if (length < 0) {
      throw new IllegalArgumentException("fragment length must not be negative, got " + length);
    }
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(miner, "miner");
  }

  /** The same fragment held by another miner (after repair or a miner's exit). */
  public FragmentRef movedTo(AccountId newMiner) {
    return new FragmentRef(index, hash, length, newMiner);
  }
}
