package org.deoss.core.ledger;

import org.deoss.core.account.AccountId;

/** The mutable state of one miner; owned by {@link LedgerState}. */
final class MinerState {
  final AccountId id;
  String endpoint;
  long capacity;
  long stake;
  String zone;
  MinerStatus status = MinerStatus.ACTIVE;
  long registered;
  long lastHeartbeat;
  long reportedUsed;
  int faults;
  long proofs;

  /** Proof rewards paid to its balance so far. */
  long rewards;

  /** Stake slashed for missed challenges so far. */
  long penalties;

  /**
   * Whether it came back from OFFLINE since the last audit round: the next round challenges it
   * ahead of the sample, so that a miner whose repair orders were withdrawn proves soon that it
   * still holds its fragments.
   */
  boolean auditDue;

  /** The last slot the repair scan looked at, or null to start from the first. */
  Slot repairCursor;

  MinerState(AccountId id) {
    this.id = id;
  }

  MinerInfo info(long fragments) {
    return new MinerInfo(
        id,
        endpoint,
        capacity,
        stake,
        zone,
        status,
        registered,
        lastHeartbeat,
        reportedUsed,
        faults,
        proofs,
        rewards,
        penalties,
        fragments);
  }
}
