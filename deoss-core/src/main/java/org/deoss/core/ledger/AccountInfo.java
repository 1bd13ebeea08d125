package org.deoss.core.ledger;

import org.deoss.core.account.AccountId;

/**
 * An account as the ledger sees it. An account the ledger has never seen has balance 0, nonce 0 and
 * space state NONE.
 *
 * @param nonce the nonce its next transaction must carry
 */
public record AccountInfo(AccountId id, long balance, long nonce, SpaceInfo space) {}
