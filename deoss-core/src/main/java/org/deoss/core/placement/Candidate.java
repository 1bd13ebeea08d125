package org.deoss.core.placement;

import java.util.Objects;
import org.deoss.core.account.AccountId;

/** A miner that may receive fragments: its account, its failure domain and its free bytes. */
public record Candidate(AccountId miner, String zone, long freeBytes) {
  public Candidate {
    Objects.requireNonNull(miner, "miner");
    zone = zone == null || zone.isBlank() ? "default" : zone;
    if (freeBytes < 0) {
      throw new IllegalArgumentException("free bytes of " + miner + " must not be negative");
    }
  }
}
