package org.deoss.core.ledger;

import org.deoss.core.account.AccountId;

/**
 * A registered miner. Its account key is the public key it proves its identity with.
 *
 * @param stake what is left of its stake after penalties; what an exit returns
 * @param faults challenges it missed
 * @param proofs proofs the ledger accepted
 * @param rewards proof rewards paid to its balance so far
 * @param penalties stake slashed for missed challenges so far
 * @param reportedUsedBytes what its last heartbeat said it holds
 * @param fragments fragment slots the ledger places on it
 */
public record MinerInfo(
    AccountId id,
    String endpoint,
    long capacityBytes,
    long stake,
    String zone,
    MinerStatus status,
    long registeredMillis,
    long lastHeartbeatMillis,
    long reportedUsedBytes,
    int faults,
    long proofs,
    long rewards,
    long penalties,
    long fragments) {}
