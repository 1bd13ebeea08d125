/**
 * Repair: rebuilding the fragments of segments whose miners are frozen, offline or leaving, from k
 * healthy fragments, placing them on other miners and recording the move on the ledger in one
 * transaction per segment. Works on the ports only ({@link org.deoss.core.port.LedgerClient},
 * {@link org.deoss.core.port.MinerDirectory}); the daemon that runs it on a network lives in the
 * transfer module.
 */
package org.deoss.core.repair;
