/**
 * The repair service on a network: {@link org.deoss.transfer.repair.RepairDaemon} runs {@link
 * org.deoss.core.repair.RepairRound} passes over the ledger's repair orders, reaching miners over
 * the fragment protocol.
 */
package org.deoss.transfer.repair;
