package org.deoss.core.ledger.journal;

import java.util.zip.CRC32C;

/**
 * The frame of one record in a segment file.
 *
 * <pre>
 *  offset 0        1                 5                 9
 *        +--------+-----------------+-----------------+---------------------------+
 *        | type   | length (u32 BE) | crc (u32 BE)    | payload (length bytes)    |
 *        | 0xD7   | payload bytes   | CRC32C(length ‖ payload)                    |
 *        +--------+-----------------+-----------------+---------------------------+
 * </pre>
 *
 * <p>The checksum covers the four length bytes and the payload, so a flipped bit in either is
 * caught; the type byte is checked by value. A record's sequence is not stored: it is the segment's
 * first sequence plus the record's index in the segment.
 */
final class RecordFrame {
  /** Type byte of a data record; any other value is corruption. */
  static final byte TYPE_RECORD = (byte) 0xD7;

  /** Bytes before the payload. */
  static final int HEADER_BYTES = 9;

  private RecordFrame() {}

  /** CRC32C of the big-endian length followed by {@code payload[off, off+len)}. */
  static int checksum(byte[] payload, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(len >>> 24);
    crc.update(len >>> 16);
    crc.update(len >>> 8);
    crc.update(len);
    crc.update(payload, off, len);
    return (int) crc.getValue();
  }

  /**
   * Writes the frame of {@code payload} into {@code dst} at {@code pos}; returns the end offset.
   */
  static int encode(byte[] payload, byte[] dst, int pos) {
    int len = payload.length;
    dst[pos] = TYPE_RECORD;
    putInt(dst, pos + 1, len);
    putInt(dst, pos + 5, checksum(payload, 0, len));
    System.arraycopy(payload, 0, dst, pos + HEADER_BYTES, len);
    return pos + HEADER_BYTES + len;
  }

  static void putInt(byte[] b, int pos, int v) {
    b[pos] = (byte) (v >>> 24);
    b[pos + 1] = (byte) (v >>> 16);
    b[pos + 2] = (byte) (v >>> 8);
    b[pos + 3] = (byte) v;
  }

  static int getInt(byte[] b, int pos) {
    return ((b[pos] & 0xff) << 24)
        | ((b[pos + 1] & 0xff) << 16)
        | ((b[pos + 2] & 0xff) << 8)
        | (b[pos + 3] & 0xff);
  }

  static void putLong(byte[] b, int pos, long v) {
    putInt(b, pos, (int) (v >>> 32));
    putInt(b, pos + 4, (int) v);
  }

  static long getLong(byte[] b, int pos) {
    return ((long) getInt(b, pos) << 32) | (getInt(b, pos + 4) & 0xffffffffL);
  }
}
