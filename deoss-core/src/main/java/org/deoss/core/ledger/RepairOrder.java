package org.deoss.core.ledger;

import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;
import org.deoss.core.manifest.ObjectId;

/**
 * Work for a repairer: fragment {@code fragment} of segment {@code segment} of object {@code
 * objectId} sits on a miner that is frozen, offline or leaving. Completed by {@link
 * Call.CompleteRepair}; dropped when the object version goes away.
 */
public record RepairOrder(
    long id,
    ObjectId objectId,
    int segment,
    int fragment,
    Hash256 fragmentHash,
    AccountId fromMiner,
    long createdHeight) {}
