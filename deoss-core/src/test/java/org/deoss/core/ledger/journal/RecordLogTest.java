package org.deoss.core.ledger.journal;

import static org.deoss.core.ledger.journal.Records.bytes;
import static org.deoss.core.ledger.journal.Records.payload;
import static org.deoss.core.ledger.journal.Records.payloadTexts;
import static org.deoss.core.ledger.journal.Records.replayText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordLogTest {
  private static final JournalOptions SMALL_SEGMENTS =
      JournalOptions.defaults().withSegmentBytes(200);

  @TempDir Path dir;

  @Test
  void open_whenDirectoryEmpty_createsFirstSegmentStartingAtOne() throws IOException {
    try (RecordLog log = RecordLog.open(dir.resolve("j"), JournalOptions.defaults())) {
      assertEquals(new RecoveryReport(1, 0, 1, 0, 0), log.recovery());
      assertEquals(1, log.firstSequence());
      assertEquals(0, log.lastSequence());
      assertTrue(Files.exists(dir.resolve("j").resolve("journal-0000000000000000001.log")));
    }
  }

  @Test
  void append_thenSyncAndReopen_replaysEveryRecordInOrder() throws IOException {
    try (RecordLog log = RecordLog.open(dir, JournalOptions.defaults())) {
      for (int i = 0; i < 50; i++) {
        assertEquals(i + 1, log.append(payload(i)));
      }
      log.sync();
      assertEquals(50, log.syncedSequence());
    }
    try (RecordLog log = RecordLog.open(dir, JournalOptions.defaults())) {
      assertEquals(new RecoveryReport(1, 50, 1, 50, 0), log.recovery());
      assertEquals(payloadTexts(0, 50), replayText(log, 1));
      assertEquals(51, log.append(bytes("next")));
    }
  }

  @Test
  void append_withoutSync_isNeitherDurableNorReplayed() throws IOException {
    try (RecordLog log = RecordLog.open(dir, JournalOptions.defaults())) {
      log.append(bytes("a"));
      log.sync();
      log.append(bytes("b"));
      assertEquals(List.of("a"), replayText(log, 1));
      long size = Files.size(dir.resolve(Segment.fileName(1)));
      assertEquals(Segment.HEADER_BYTES + RecordFrame.HEADER_BYTES + 1, size);
    }
  }

  @Test
  void append_whenRecordTooLarge_isRefusedNamingTheSize() throws IOException {
    try (RecordLog log = RecordLog.open(dir, JournalOptions.defaults().withMaxRecordBytes(10))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> log.append(new byte[11]));
      assertTrue(e.getMessage().contains("11 bytes exceeds maxRecordBytes 10"), e.getMessage());
      assertEquals(1, log.append(new byte[10]));
    }
  }

  @Test
  void appendAll_whenOneRecordTooLarge_appendsNone() throws IOException {
    try (RecordLog log = RecordLog.open(dir, JournalOptions.defaults().withMaxRecordBytes(10))) {
      assertThrows(
          IllegalArgumentException.class, () -> log.appendAll(List.of(new byte[1], new byte[11])));
      assertEquals(0, log.lastSequence());
      assertEquals(3, log.appendAll(List.of(new byte[1], new byte[2], new byte[3])));
    }
  }

  @Test
  void append_pastSegmentSize_rollsToNumberedSegmentsAndReplaysAcrossThem() throws IOException {
    try (RecordLog log = RecordLog.open(dir, SMALL_SEGMENTS)) {
      for (int i = 0; i < 100; i++) {
        log.append(payload(i));
        if (i % 7 == 0) {
          log.sync();
        }
      }
      log.sync();
      assertTrue(log.segmentCount() > 5, "segments: " + log.segmentCount());
    }
    try (RecordLog log = RecordLog.open(dir, SMALL_SEGMENTS)) {
      assertEquals(100, log.recovery().records());
      assertEquals(0, log.recovery().bytesTruncated());
      assertEquals(payloadTexts(0, 100), replayText(log, 1));
      assertEquals(payloadTexts(62, 100), replayText(log, 63));
      assertEquals(List.of(), replayText(log, 101));
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
          long first = Segment.parseName(f.getFileName().toString());
          assertTrue(first >= 1, f.toString());
          assertTrue(Files.size(f) <= 200, f + " has " + Files.size(f) + " bytes");
        }
      }
    }
  }

  @Test
  void append_whenRecordLargerThanSegment_getsASegmentOfItsOwn() throws IOException {
    try (RecordLog log = RecordLog.open(dir, SMALL_SEGMENTS)) {
      log.append(bytes("small"));
      log.append(new byte[500]);
      log.append(bytes("after"));
      log.sync();
      assertEquals(3, log.segmentCount());
      assertEquals(List.of("after"), replayText(log, 3));
    }
  }

  @Test
  void deleteBefore_removesOnlySegmentsEntirelyBelowTheSequence() throws IOException {
    try (RecordLog log = RecordLog.open(dir, SMALL_SEGMENTS)) {
      for (int i = 0; i < 100; i++) {
        log.append(payload(i));
      }
      log.sync();
      int before = log.segmentCount();
      int deleted = log.deleteBefore(50);
      assertTrue(deleted > 0);
      assertEquals(before - deleted, log.segmentCount());
      long first = log.firstSequence();
      assertTrue(first <= 50 && first > 1, "first " + first);
      assertEquals(payloadTexts(49, 100), replayText(log, 50));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> log.replay(first - 1, (s, p) -> {}));
      assertTrue(e.getMessage().contains("outside the log"), e.getMessage());
      assertEquals(0, log.deleteBefore(first));
    }
    try (RecordLog log = RecordLog.open(dir, SMALL_SEGMENTS)) {
      assertEquals(100, log.recovery().lastSequence());
      assertTrue(log.recovery().firstSequence() > 1);
      assertEquals(payloadTexts(49, 100), replayText(log, 50));
    }
  }

  @Test
  void deleteBefore_neverDeletesTheActiveSegment() throws IOException {
    try (RecordLog log = RecordLog.open(dir, SMALL_SEGMENTS)) {
      for (int i = 0; i < 30; i++) {
        log.append(payload(i));
      }
      log.sync();
      log.deleteBefore(Long.MAX_VALUE);
      assertEquals(1, log.segmentCount());
      assertEquals(31, log.append(bytes("x")));
    }
  }

  @Test
  void replay_whenFromSequencePastTheEnd_isRefused() throws IOException {
    try (RecordLog log = RecordLog.open(dir, JournalOptions.defaults())) {
      log.append(bytes("a"));
      log.sync();
      assertThrows(IllegalArgumentException.class, () -> log.replay(3, (s, p) -> {}));
    }
  }

  @Test
  void open_whenAlreadyOpen_failsNamingTheDirectory() throws IOException {
    try (RecordLog log = RecordLog.open(dir, JournalOptions.defaults())) {
      IOException e =
          assertThrows(IOException.class, () -> RecordLog.open(dir, JournalOptions.defaults()));
      assertTrue(e.getMessage().contains("already open"), e.getMessage());
    }
  }

  @Test
  void anyCall_afterClose_throwsIllegalState() throws IOException {
    RecordLog log = RecordLog.open(dir, JournalOptions.defaults());
    log.append(bytes("a"));
    log.close();
    log.close();
    assertThrows(IllegalStateException.class, () -> log.append(bytes("b")));
    assertThrows(IllegalStateException.class, log::sync);
    assertThrows(IllegalStateException.class, () -> log.replay(1, (s, p) -> {}));
    try (RecordLog reopened = RecordLog.open(dir, JournalOptions.defaults())) {
      assertEquals(1, reopened.recovery().records(), "close syncs what was buffered");
    }
  }

  @Test
  void sync_whenWriteFails_failsTheLogUntilReopened() throws IOException {
    RecordLog log = RecordLog.open(dir, JournalOptions.defaults());
    log.append(bytes("durable"));
    log.sync();
    log.append(bytes("lost"));
    // An interrupt closes the FileChannel under the write: a real IOException from the JDK.
    Thread.currentThread().interrupt();
    IOException cause;
    try {
      cause = assertThrows(IOException.class, log::sync);
    } finally {
      Thread.interrupted();
    }
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> log.append(bytes("more")));
    assertSame(cause, e.getCause());
    assertTrue(e.getMessage().contains("refuses appends"), e.getMessage());
    assertThrows(IllegalStateException.class, log::sync);
    log.close();
    try (RecordLog reopened = RecordLog.open(dir, JournalOptions.defaults())) {
      assertEquals(List.of("durable"), replayText(reopened, 1));
    }
  }

  @Test
  void append_ofAnEmptyPayload_roundTrips() throws IOException {
    try (RecordLog log = RecordLog.open(dir, JournalOptions.defaults())) {
      log.append(new byte[0]);
      log.append(bytes("x"));
      log.sync();
    }
    try (RecordLog log = RecordLog.open(dir, JournalOptions.defaults())) {
      assertEquals(List.of("", "x"), replayText(log, 1));
    }
  }

  @Test
  void append_beyondTheWriteBuffer_writesEarlyButReplaysOnlyAfterSync() throws IOException {
    try (RecordLog log = RecordLog.open(dir, JournalOptions.defaults().withWriteBufferBytes(64))) {
      for (int i = 0; i < 10; i++) {
        log.append(payload(i));
      }
      assertTrue(Files.size(dir.resolve(Segment.fileName(1))) > Segment.HEADER_BYTES);
      assertEquals(0, log.syncedSequence());
      assertEquals(List.of(), replayText(log, 1));
      log.sync();
      assertEquals(payloadTexts(0, 10), replayText(log, 1));
    }
  }

  @Test
  void reopen_afterRandomAppendsSyncsAndRolls_replaysEverySyncedRecord() throws IOException {
    long seed = 0x10c5_eed5L;
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 5; round++) {
      Path d = dir.resolve("round-" + round);
      JournalOptions options =
          JournalOptions.defaults()
              .withSegmentBytes(64 + random.nextInt(2000))
              .withWriteBufferBytes(1 + random.nextInt(4096));
      List<String> expected = new ArrayList<>();
      try (RecordLog log = RecordLog.open(d, options)) {
        for (int i = 0; i < 300; i++) {
          byte[] p = new byte[random.nextInt(random.nextBoolean() ? 16 : 700)];
          random.nextBytes(p);
          assertEquals(expected.size() + 1, log.append(p), "seed " + seed);
          expected.add(HexFormat.of().formatHex(p));
          if (random.nextInt(10) == 0) {
            log.sync();
          }
        }
        log.sync();
      }
      try (RecordLog log = RecordLog.open(d, options)) {
        List<String> actual = new ArrayList<>();
        log.replay(1, (seq, p) -> actual.add(HexFormat.of().formatHex(p)));
        assertEquals(expected, actual, "seed " + seed + " round " + round);
        assertEquals(0, log.recovery().bytesTruncated(), "seed " + seed + " round " + round);
      }
    }
  }

  @Test
  void options_whenInvalid_nameTheSettingAndValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new JournalOptions(10, 1, 1));
    assertTrue(e.getMessage().contains("segmentBytes") && e.getMessage().contains("10"));
    e = assertThrows(IllegalArgumentException.class, () -> new JournalOptions(100, 0, 1));
    assertTrue(e.getMessage().contains("maxRecordBytes"));
  }
}
