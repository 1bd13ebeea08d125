package org.deoss.core.ledger.journal;

import static org.deoss.core.ledger.journal.Records.bytes;
import static org.deoss.core.ledger.journal.Records.payload;
import static org.deoss.core.ledger.journal.Records.payloadTexts;
import static org.deoss.core.ledger.journal.Records.replayText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crash can leave behind: the last segment cut at any byte, garbage in its tail, and (not a
 * crash, a damaged disk) a bad byte in an earlier segment.
 */
class RecordLogCrashTest {
  private static final int RECORDS = 12;

  @TempDir Path root;

  /** Writes records 0..count-1 into {@code dir}, syncing each. */
  private static void writeLog(Path dir, JournalOptions options, int count) throws IOException {
    try (RecordLog log = RecordLog.open(dir, options)) {
      for (int i = 0; i < count; i++) {
        log.append(payload(i));
        log.sync();
      }
    }
  }

  private static Path lastSegment(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> Segment.parseName(p.getFileName().toString()) > 0)
          .max(Path::compareTo)
          .orElseThrow();
    }
  }

  private static Path copyLog(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals(RecordLog.LOCK_FILE)) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
    return to;
  }

  private static void truncate(Path file, long length) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(length);
    }
  }

  private static void flipByte(Path file, long offset, int mask) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ mask);
    }
  }

  /** Frame start offsets of the records in one segment file, plus its end. */
  private static List<Long> boundaries(Path segment, int firstIndex, int count) throws IOException {
    List<Long> out = new ArrayList<>();
    long pos = Segment.HEADER_BYTES;
    out.add(pos);
    for (int i = firstIndex; i < firstIndex + count; i++) {
      pos += RecordFrame.HEADER_BYTES + payload(i).length;
      out.add(pos);
    }
    assertEquals(Files.size(segment), pos, "test's idea of the layout");
    return out;
  }

  @Test
  void open_afterCutAtEveryByteOfTheOnlySegment_recoversExactlyTheCompletePrefix()
      throws IOException {
    Path base = root.resolve("base");
    writeLog(base, JournalOptions.defaults(), RECORDS);
    cutEveryByte(base, RECORDS, JournalOptions.defaults());
  }

  @Test
  void open_afterCutAtEveryByteOfTheLastOfSeveralSegments_recoversExactlyTheCompletePrefix()
      throws IOException {
    // 120-byte segments hold a few records each; then 12 more go into the last one.
    Path base = root.resolve("base");
    writeLog(base, JournalOptions.defaults().withSegmentBytes(120), 20);
    JournalOptions large = JournalOptions.defaults();
    try (RecordLog log = RecordLog.open(base, large)) {
      assertTrue(log.segmentCount() > 2, "segments " + log.segmentCount());
      for (int i = 20; i < 20 + RECORDS; i++) {
        log.append(payload(i));
        log.sync();
      }
    }
    cutEveryByte(base, 20 + RECORDS, large);
  }

  /**
   * Reopens copies of the log in {@code base} (holding records 0..total-1) with its last segment
   * cut at every length from 0 to its size.
   */
  private void cutEveryByte(Path base, int total, JournalOptions reopenOptions) throws IOException {
    Path last = lastSegment(base);
    int firstInLast = (int) Segment.parseName(last.getFileName().toString()) - 1;
    int inLast = total - firstInLast;
    List<Long> ends = boundaries(last, firstInLast, inLast);
    long size = Files.size(last);
    for (long cut = 0; cut <= size; cut++) {
      Path dir = copyLog(base, root.resolve("cut-" + cut));
      truncate(dir.resolve(last.getFileName()), cut);
      int complete = 0;
      while (complete < inLast && ends.get(complete + 1) <= cut) {
        complete++;
      }
      long validEnd = cut < Segment.HEADER_BYTES ? 0 : ends.get(complete);
      int expectedCount = firstInLast + complete;
      String at = "cut at " + cut + " of " + size;
      try (RecordLog log = RecordLog.open(dir, reopenOptions)) {
        RecoveryReport report = log.recovery();
        assertEquals(expectedCount, report.lastSequence(), at);
        assertEquals(cut - validEnd, report.bytesTruncated(), at);
        assertEquals(payloadTexts(0, expectedCount), replayText(log, 1), at);
        assertEquals(expectedCount + 1, log.append(bytes("after-crash")), at);
        log.sync();
      }
      try (RecordLog log = RecordLog.open(dir, reopenOptions)) {
        assertEquals(0, log.recovery().bytesTruncated(), at);
        List<String> expected = new ArrayList<>(payloadTexts(0, expectedCount));
        expected.add("after-crash");
        assertEquals(expected, replayText(log, 1), at);
      }
    }
  }

  @Test
  void open_whenAByteOfTheTailRecordIsFlipped_truncatesThatRecord() throws IOException {
    long seed = 0x5eed_0001L;
    SplittableRandom random = new SplittableRandom(seed);
    Path base = root.resolve("base");
    writeLog(base, JournalOptions.defaults(), RECORDS);
    Path last = lastSegment(base);
    List<Long> ends = boundaries(last, 0, RECORDS);
    long tailStart = ends.get(RECORDS - 1);
    long size = Files.size(last);
    for (int trial = 0; trial < 40; trial++) {
      long offset = random.nextLong(tailStart, size);
      int mask = 1 + random.nextInt(255);
      String at =
          "seed "
              + seed
              + " trial "
              + trial
              + ": flip 0x"
              + Integer.toHexString(mask)
              + " at "
              + offset;
      Path dir = copyLog(base, root.resolve("flip-" + trial));
      flipByte(dir.resolve(last.getFileName()), offset, mask);
      try (RecordLog log = RecordLog.open(dir, JournalOptions.defaults())) {
        assertEquals(RECORDS - 1, log.recovery().lastSequence(), at);
        assertEquals(size - tailStart, log.recovery().bytesTruncated(), at);
        assertEquals(payloadTexts(0, RECORDS - 1), replayText(log, 1), at);
      }
    }
  }

  @Test
  void open_whenGarbageFollowsTheLastRecord_truncatesIt() throws IOException {
    Path base = root.resolve("base");
    writeLog(base, JournalOptions.defaults(), 3);
    Path last = lastSegment(base);
    Files.write(last, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, StandardOpenOption.APPEND);
    try (RecordLog log = RecordLog.open(base, JournalOptions.defaults())) {
      assertEquals(11, log.recovery().bytesTruncated());
      assertEquals(payloadTexts(0, 3), replayText(log, 1));
    }
  }

  @Test
  void open_whenAMiddleRecordOfAnEarlierSegmentIsCorrupt_failsNamingFileAndOffset()
      throws IOException {
    JournalOptions options = JournalOptions.defaults().withSegmentBytes(200);
    Path base = root.resolve("base");
    writeLog(base, options, 40);
    Path first = base.resolve(Segment.fileName(1));
    List<Long> ends = new ArrayList<>();
    long pos = Segment.HEADER_BYTES;
    for (int i = 0; pos < Files.size(first); i++) {
      ends.add(pos);
      pos += RecordFrame.HEADER_BYTES + payload(i).length;
    }
    assertTrue(ends.size() >= 3, "records in the first segment: " + ends.size());
    long bad = ends.get(1);
    flipByte(first, bad + RecordFrame.HEADER_BYTES + 2, 0x40);
    IOException e = assertThrows(IOException.class, () -> RecordLog.open(base, options));
    assertTrue(e.getMessage().contains(first.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("offset " + bad), e.getMessage());
    assertTrue(e.getMessage().contains("sequence 2"), e.getMessage());
    assertEquals(Files.size(first), pos, "the corrupt segment is left untouched");
  }

  @Test
  void open_whenAnEarlierSegmentIsMissing_failsNamingTheGap() throws IOException {
    JournalOptions options = JournalOptions.defaults().withSegmentBytes(200);
    Path base = root.resolve("base");
    writeLog(base, options, 40);
    List<Path> segments;
    try (Stream<Path> files = Files.list(base)) {
      segments =
          files.filter(p -> Segment.parseName(p.getFileName().toString()) > 0).sorted().toList();
    }
    assertTrue(segments.size() >= 3);
    Files.delete(segments.get(1));
    IOException e = assertThrows(IOException.class, () -> RecordLog.open(base, options));
    assertTrue(e.getMessage().contains(segments.get(2).toString()), e.getMessage());
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void open_whenAnEarlierSegmentHeaderIsDamaged_fails() throws IOException {
    JournalOptions options = JournalOptions.defaults().withSegmentBytes(200);
    Path base = root.resolve("base");
    writeLog(base, options, 40);
    Path first = base.resolve(Segment.fileName(1));
    flipByte(first, 6, 0x01);
    IOException e = assertThrows(IOException.class, () -> RecordLog.open(base, options));
    assertTrue(e.getMessage().contains("bad segment header at offset 0"), e.getMessage());
  }
}
