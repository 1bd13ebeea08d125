package org.deoss.core.ledger;

import java.util.TreeMap;
import java.util.TreeSet;
import org.deoss.core.account.AccountId;

/** The mutable state of one account; owned by {@link LedgerState}. */
final class AccountState {
  long balance;
  long nonce;
  long faucetWindowStart;
  int faucetClaims;
  long purchasedGib;
  long usedBytes;
  long spaceStart;
  long deadline;

  /** The announced X25519 public key, or null before the first announcement. */
  byte[] encryptionKey;

  final TreeSet<AccountId> operators = new TreeSet<>();
  final TreeMap<String, BucketState> buckets = new TreeMap<>();

  long purchasedBytes() {
    return purchasedGib << 30;
  }

  boolean hasSpace() {
    return purchasedGib > 0;
  }

  SpaceState spaceState(long now, long grace) {
    if (!hasSpace()) {
      return SpaceState.NONE;
    }
    if (now < deadline) {
      return SpaceState.ACTIVE;
    }
    if (now - deadline < grace) {
      return SpaceState.FROZEN;
    }
    return SpaceState.EXPIRED;
  }

  long objectCount() {
    long n = 0;
    for (BucketState b : buckets.values()) {
      n += b.objects.size();
    }
    return n;
  }
}
