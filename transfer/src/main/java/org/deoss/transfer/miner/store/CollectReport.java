package org.deoss.transfer.miner.store;

/**
 * What one garbage collection pass did.
 *
 * @param examined fragments looked at
 * @param deleted fragments deleted (unreferenced and at least the grace period old)
 * @param bytesFreed their total size
 * @param keptReferenced fragments kept because they are still referenced
 * @param keptYoung unreferenced fragments kept because they are younger than the grace period
 */
public record CollectReport(
    long examined, long deleted, long bytesFreed, long keptReferenced, long keptYoung) {}
