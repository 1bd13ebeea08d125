package org.deoss.core.ledger.journal;

/**
 * What {@link RecordLog#open} found.
 *
 * @param segments number of segment files
 * @param records number of valid records in them
 * @param firstSequence sequence of the oldest record kept (after {@link RecordLog#deleteBefore},
 *     above 1); when the log is empty, the sequence the next record will get
 * @param lastSequence sequence of the newest valid record; {@code firstSequence - 1} when empty
 * @param bytesTruncated bytes dropped from the end of the last segment (a torn or corrupt tail); 0
 *     after a clean shutdown
 */
public record RecoveryReport(
    int segments, long records, long firstSequence, long lastSequence, long bytesTruncated) {}
