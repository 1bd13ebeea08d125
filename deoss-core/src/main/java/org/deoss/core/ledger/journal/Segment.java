package org.deoss.core.ledger.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A segment file: its name, its header and where its records start.
 *
 * <p>Name: {@code journal-<first sequence, 19 decimal digits>.log}, so names sort in log order.
 * Header (16 bytes), written and forced when the file is created:
 *
 * <pre>
 *  0        4                             12               16
 *  +--------+-----------------------------+----------------+-----------------------
 *  | "DJL1" | first sequence (u64 BE)     | CRC32C(0..12)  | records (RecordFrame)...
 *  +--------+-----------------------------+----------------+-----------------------
 * </pre>
 *
 * <p>The header repeats the sequence of the name so that a renamed or misplaced file is detected.
 *
 * @param path the file
 * @param firstSequence sequence of its first record
 */
record Segment(Path path, long firstSequence) {
  static final int HEADER_BYTES = 16;
  private static final byte[] MAGIC = {'D', 'J', 'L', '1'};
  private static final Pattern NAME = Pattern.compile("journal-(\\d{19})\\.log");

  static String fileName(long firstSequence) {
    return String.format(Locale.ROOT, "journal-%019d.log", firstSequence);
  }

  /** The first sequence encoded in a segment file name, or -1 when it is not one. */
  static long parseName(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      return -1;
    }
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static byte[] header(long firstSequence) {
    byte[] h = new byte[HEADER_BYTES];
    System.arraycopy(MAGIC, 0, h, 0, 4);
    RecordFrame.putLong(h, 4, firstSequence);
    CRC32C crc = new CRC32C();
    crc.update(h, 0, 12);
    RecordFrame.putInt(h, 12, (int) crc.getValue());
    return h;
  }

  /** Reads and checks the header; returns null when it is valid, otherwise what is wrong. */
  static String headerProblem(FileChannel ch, long expectedFirst) throws IOException {
    if (ch.size() < HEADER_BYTES) {
      return "header incomplete (" + ch.size() + " of " + HEADER_BYTES + " bytes)";
    }
    ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES);
    while (buf.hasRemaining()) {
      if (ch.read(buf, buf.position()) < 0) {
        return "header incomplete";
      }
    }
    byte[] h = buf.array();
    if (!Arrays.equals(h, 0, 4, MAGIC, 0, 4)) {
      return "bad magic";
    }
    CRC32C crc = new CRC32C();
    crc.update(h, 0, 12);
    if ((int) crc.getValue() != RecordFrame.getInt(h, 12)) {
      return "header checksum mismatch";
    }
    long first = RecordFrame.getLong(h, 4);
    if (first != expectedFirst) {
      return "header says first sequence " + first + " but the name says " + expectedFirst;
    }
    return null;
  }
}
