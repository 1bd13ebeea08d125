package org.deoss.core.ledger;

import org.deoss.core.account.AccountId;

/**
 * A registered miner. Its account key is the public key it proves its identity with.
 *
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
    long fragments) {}
