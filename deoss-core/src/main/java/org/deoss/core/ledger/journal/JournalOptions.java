package org.deoss.core.ledger.journal;

/**
 * Settings of a {@link RecordLog}; immutable, validated on construction (errors name the setting
 * and the bad value).
 *
 * @param segmentBytes size at which the active segment file is rolled over to a new one; a segment
 *     always holds at least one record, so a record larger than this gets a segment of its own
 * @param maxRecordBytes largest payload {@link RecordLog#append} accepts (appends only: records
 *     already in the log are read whatever their size, so lowering it never loses data)
 * @param writeBufferBytes appended bytes are held in memory until {@link RecordLog#sync}; beyond
 *     this many they are written to the file early (still not durable until the sync)
 */
public record JournalOptions(long segmentBytes, int maxRecordBytes, int writeBufferBytes) {
  /** Default segment size, 64 MiB. */
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

  /** Default maximum record size, 64 MiB. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 64 << 20;

  /** Default write buffer, 1 MiB. */
  public static final int DEFAULT_WRITE_BUFFER_BYTES = 1 << 20;

  /** Upper bound of {@code maxRecordBytes}, 1 GiB. */
  public static final int LIMIT_MAX_RECORD_BYTES = 1 << 30;

  /** Smallest allowed segment size (small values are for tests). */
  public static final long MIN_SEGMENT_BYTES = 64;

  /** Validates the settings. */
  public JournalOptions {
    if (segmentBytes < MIN_SEGMENT_BYTES) {
      throw new IllegalArgumentException(
          "segmentBytes must be >= " + MIN_SEGMENT_BYTES + ", got " + segmentBytes);
    }
    if (maxRecordBytes < 1 || maxRecordBytes > LIMIT_MAX_RECORD_BYTES) {
      throw new IllegalArgumentException(
          "maxRecordBytes must be in [1, " + LIMIT_MAX_RECORD_BYTES + "], got " + maxRecordBytes);
    }
    if (writeBufferBytes < 1) {
      throw new IllegalArgumentException("writeBufferBytes must be >= 1, got " + writeBufferBytes);
    }
  }

  /** The defaults: 64 MiB segments, 64 MiB maximum record, 1 MiB write buffer. */
  public static JournalOptions defaults() {
    return new JournalOptions(
        DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_RECORD_BYTES, DEFAULT_WRITE_BUFFER_BYTES);
  }

  /** A copy with another segment size. */
  public JournalOptions withSegmentBytes(long value) {
    return new JournalOptions(value, maxRecordBytes, writeBufferBytes);
  }

  /** A copy with another maximum record size. */
  public JournalOptions withMaxRecordBytes(int value) {
    return new JournalOptions(segmentBytes, value, writeBufferBytes);
  }

  /** A copy with another write buffer size. */
  public JournalOptions withWriteBufferBytes(int value) {
    return new JournalOptions(segmentBytes, maxRecordBytes, value);
  }
}
