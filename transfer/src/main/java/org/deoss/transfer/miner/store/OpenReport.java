package org.deoss.transfer.miner.store;

/**
 * What opening a data folder found.
 *
 * @param fragments fragments indexed
 * @param bytes their total size
 * @param quarantined fragments moved to {@code quarantine/} because their bytes no longer match
 *     their name (only with {@link StartupCheck#VERIFY})
 * @param tempFilesRemoved leftover files of puts that never finished, deleted
 * @param unknownFiles files under {@code fragments/} whose name or place is not a fragment's; left
 *     alone and logged
 */
public record OpenReport(
    long fragments, long bytes, long quarantined, long tempFilesRemoved, long unknownFiles) {}
