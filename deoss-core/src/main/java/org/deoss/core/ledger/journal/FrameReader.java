package org.deoss.core.ledger.journal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;

/**
 * Reads the frames of one segment in order, streaming (one payload in memory at a time), and
 * verifies each. Does not own the channel.
 */
final class FrameReader {
  /** A frame that is incomplete or fails its checks; {@code offset} is where it starts. */
  static final class BadFrameException extends Exception {
    private static final long serialVersionUID = 1L;
    final long offset;

    BadFrameException(long offset, String reason) {
      super(reason, null, false, false);
      this.offset = offset;
    }
  }

  private final InputStream in;
  private final long end;
  private final byte[] header = new byte[RecordFrame.HEADER_BYTES];
  private long offset;

  /**
   * @param ch the segment's channel
   * @param start offset of the first frame
   * @param end offset where the readable bytes end (the file size, or less)
   */
  FrameReader(FileChannel ch, long start, long end) throws IOException {
    ch.position(start);
    this.in = new BufferedInputStream(Channels.newInputStream(ch), 1 << 16);
    this.offset = start;
    this.end = end;
  }

  /** Offset just after the last frame returned (where the next one starts). */
  long offset() {
    return offset;
  }

  /**
   * The next payload, or null when the readable bytes end exactly at a frame boundary.
   *
   * @throws BadFrameException when the next frame is incomplete or invalid; {@link #offset()} stays
   *     at its start
   */
  byte[] next() throws IOException, BadFrameException {
    long left = end - offset;
    if (left == 0) {
      return null;
    }
    if (left < RecordFrame.HEADER_BYTES) {
      throw new BadFrameException(
          offset,
          "incomplete frame header (" + left + " of " + RecordFrame.HEADER_BYTES + " bytes)");
    }
    readFully(header, RecordFrame.HEADER_BYTES);
    if (header[0] != RecordFrame.TYPE_RECORD) {
      throw new BadFrameException(offset, String.format("bad record type 0x%02x", header[0]));
    }
    int len = RecordFrame.getInt(header, 1);
    long payloadLeft = left - RecordFrame.HEADER_BYTES;
    if (len < 0 || len > payloadLeft) {
      throw new BadFrameException(
          offset,
          "record length "
              + Integer.toUnsignedString(len)
              + " exceeds the "
              + payloadLeft
              + " bytes left in the file (torn write or corrupt length)");
    }
    byte[] payload = new byte[len];
    readFully(payload, len);
    int expected = RecordFrame.getInt(header, 5);
    int actual = RecordFrame.checksum(payload, 0, len);
    if (expected != actual) {
      throw new BadFrameException(
          offset,
          String.format("checksum mismatch (stored %08x, computed %08x)", expected, actual));
    }
    offset += RecordFrame.HEADER_BYTES + len;
    return payload;
  }

  private void readFully(byte[] b, int len) throws IOException {
    int n = in.readNBytes(b, 0, len);
    if (n != len) {
      throw new IOException("file shrank while reading at offset " + offset);
    }
  }
}
