package org.deoss.core.ledger;

import org.deoss.core.hash.Hash256;

/**
 * Proof that a transaction is in the ledger: its hash, the block that holds it and its position.
 *
 * @param objectVersion the new version for a {@link Call.PutObject}, else 0
 */
public record Receipt(
    Hash256 txHash, long blockHeight, Hash256 blockHash, int txIndex, long objectVersion) {}
