/**
 * The ledger of one machine: {@link org.deoss.core.ledger.embedded.EmbeddedLedger}, the state
 * machine made durable by a journal of blocks with group commit and snapshots.
 */
package org.deoss.core.ledger.embedded;
