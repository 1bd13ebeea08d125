package org.deoss.core.ledger;

/**
 * Life of an account's purchased space, decided by block time.
 *
 * <pre>
 *   NONE --BuySpace--> ACTIVE --deadline--> FROZEN --grace--> EXPIRED --objects purged--> NONE
 *                        ^                    |
 *                        +-----RenewSpace-----+
 * </pre>
 *
 * ACTIVE accepts puts; FROZEN refuses puts (SPACE_EXPIRED) but allows reads, deletes, renames and
 * renewal; EXPIRED is being purged by the ledger, a few hundred objects per block.
 */
public enum SpaceState {
  NONE,
  ACTIVE,
  FROZEN,
  EXPIRED
}
