package org.deoss.cache;

import static org.deoss.cache.StoreFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.manifest.ObjectManifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBackCacheTest {
  private static final long SEED = 20261124;
  private static final Set<OpenFlag> CREATE = EnumSet.of(OpenFlag.CREATE);
  private static final Set<OpenFlag> EXISTING = EnumSet.noneOf(OpenFlag.class);
  private static final PosixAttributes FILE = PosixAttributes.file(0100644, 1);

  @TempDir Path dir;
  private final StoreFixture fx = new StoreFixture();
  private final SplittableRandom random = new SplittableRandom(SEED);
  private final FakeScheduler scheduler = new FakeScheduler();
  private final Executor direct = Runnable::run;

  @AfterEach
  void stop() {
    fx.close();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private WriteBackCache cache() throws IOException {
    return fx.open(StoreFixture.config(dir), scheduler, direct);
  }

  private static void write(FileHandle h, long at, byte[] b) throws IOException {
    h.write(at, ByteBuffer.wrap(b));
  }

  private static byte[] read(FileHandle h, long at, int n) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(n);
    while (buf.hasRemaining()) {
      if (h.read(at + buf.position(), buf) < 0) {
        break;
      }
    }
    return Arrays.copyOf(buf.array(), buf.position());
  }

  /** Commits {@code content} as {@code key} through a cache and returns its record. */
  private ObjectRecord commit(WriteBackCache c, String key, byte[] content) throws IOException {
    try (FileHandle h =
        c.open(fx.path(key), EnumSet.of(OpenFlag.CREATE, OpenFlag.TRUNCATE), FILE)) {
      write(h, 0, content);
      h.fsync();
    }
    return fx.record(key);
  }

  private long stagingFiles() throws IOException {
    try (var s = Files.list(dir.resolve("staging"))) {
      return s.count();
    }
  }

  @Test
  void write_thenRead_seesItsOwnBytesBeforeAnyUpload() throws IOException {
    WriteBackCache c = cache();
    try (FileHandle h = c.open(fx.path("a.txt"), CREATE, FILE)) {
      byte[] data = bytes(10_000);
      write(h, 0, data);
      write(h, 5000, new byte[] {1, 2, 3});
      data[5000] = 1;
      data[5001] = 2;
      data[5002] = 3;
      assertEquals(10_000, h.size());
      assertArrayEquals(data, read(h, 0, 20_000));
      assertTrue(fx.ledger.object(fx.alice.id(), StoreFixture.BUCKET, "a.txt").isEmpty());
      assertEquals(EntryState.DIRTY, c.pending(fx.path("a.txt")).orElseThrow().state());
    }
  }

  @Test
  void fsync_returnsOnlyWhenTheLedgerHoldsTheNewVersion() throws IOException {
    WriteBackCache c = cache();
    byte[] v1 = bytes(3000);
    ObjectRecord first = commit(c, "doc", v1);
    assertArrayEquals(v1, fx.committed("doc"));
    try (FileHandle h = c.open(fx.path("doc"), EXISTING, FILE)) {
      write(h, 3000, new byte[] {9});
      h.fsync();
      ObjectRecord second = fx.record("doc");
      assertTrue(second.version() > first.version());
      assertEquals(3001, second.size());
      assertEquals(first.manifest().objectId(), second.manifest().objectId());
      assertEquals(EntryState.CLEAN, c.pending(fx.path("doc")).orElseThrow().state());
    }
    assertTrue(c.pending(fx.path("doc")).isEmpty(), "a clean, closed entry leaves the cache");
    assertEquals(0, stagingFiles());
  }

  @Test
  void randomWrite_inALargeFile_reencodesOnlyTheTouchedSegment() throws IOException {
    WriteBackCache c = cache();
    byte[] content = bytes(4 * MIB + MIB / 2);
    ObjectManifest before = commit(c, "big.bin", content).manifest();
    try (FileHandle h = c.open(fx.path("big.bin"), EXISTING, FILE)) {
      assertArrayEquals(
          Arrays.copyOfRange(content, 10, 110), read(h, 10, 100), "lazy read of segment 0");
      byte[] patch = bytes(100);
      write(h, 2L * MIB + 500, patch);
      System.arraycopy(patch, 0, content, 2 * MIB + 500, 100);
      h.fsync();
    }
    ObjectManifest after = fx.record("big.bin").manifest();
    assertEquals(5, after.segments().size());
    for (int s : new int[] {0, 1, 3, 4}) {
      assertEquals(before.segments().get(s), after.segments().get(s), "segment " + s + " kept");
    }
    assertNotEquals(before.segments().get(2), after.segments().get(2));
    assertArrayEquals(content, fx.committed("big.bin"));
  }

  @Test
  void truncateThenExtend_readsZerosWhereTheOldBytesWere() throws IOException {
    WriteBackCache c = cache();
    byte[] content = bytes(3 * MIB);
    ObjectManifest before = commit(c, "t.bin", content).manifest();
    byte[] expected = Arrays.copyOf(Arrays.copyOf(content, MIB + MIB / 2), 3 * MIB);
    try (FileHandle h = c.open(fx.path("t.bin"), EXISTING, FILE)) {
      h.truncate(MIB + MIB / 2);
      assertEquals(MIB + MIB / 2, h.size());
      h.truncate(3 * MIB);
      assertArrayEquals(expected, read(h, 0, 3 * MIB));
      h.fsync();
    }
    ObjectManifest after = fx.record("t.bin").manifest();
    assertEquals(before.segments().get(0), after.segments().get(0));
    assertArrayEquals(expected, fx.committed("t.bin"));
  }

  @Test
  void openWithTruncate_neverFetchesTheOldBytes_andAppendWritesAtTheEnd() throws IOException {
    WriteBackCache c = cache();
    commit(c, "log", bytes(2 * MIB));
    fx.setMinersOnline(false); // any fetch of the old bytes would fail
    try (FileHandle h = c.open(fx.path("log"), EnumSet.of(OpenFlag.TRUNCATE), FILE)) {
      assertEquals(0, h.size());
      assertEquals(0, h.append(ByteBuffer.wrap("one ".getBytes())));
      assertEquals(4, h.append(ByteBuffer.wrap("two".getBytes())));
      assertArrayEquals("one two".getBytes(), read(h, 0, 100));
      fx.setMinersOnline(true);
      h.fsync();
    }
    assertArrayEquals("one two".getBytes(), fx.committed("log"));
  }

  @Test
  void open_missingWithoutCreate_orExclusiveOnExisting_fails() throws IOException {
    WriteBackCache c = cache();
    assertThrows(NoSuchFileException.class, () -> c.open(fx.path("nope"), EXISTING, FILE));
    commit(c, "here", bytes(10));
    assertThrows(
        FileAlreadyExistsException.class,
        () -> c.open(fx.path("here"), EnumSet.of(OpenFlag.CREATE, OpenFlag.EXCLUSIVE), FILE));
  }

  @Test
  void close_uploadsOnlyAfterTheFlushDelay_andReopeningPostponesIt() throws IOException {
    WriteBackCache c = cache();
    byte[] data = bytes(5000);
    try (FileHandle h = c.open(fx.path("later"), CREATE, FILE)) {
      write(h, 0, data);
    }
    scheduler.advance(Duration.ofMillis(1999));
    assertTrue(fx.ledger.object(fx.alice.id(), StoreFixture.BUCKET, "later").isEmpty());
    FileHandle again = c.open(fx.path("later"), EXISTING, FILE);
    scheduler.advance(Duration.ofSeconds(5));
    assertTrue(
        fx.ledger.object(fx.alice.id(), StoreFixture.BUCKET, "later").isEmpty(),
        "an open file is not uploaded by the delay");
    again.close();
    scheduler.advance(Duration.ofMillis(1999));
    assertTrue(fx.ledger.object(fx.alice.id(), StoreFixture.BUCKET, "later").isEmpty());
    scheduler.advance(Duration.ofMillis(1));
    assertArrayEquals(data, fx.committed("later"));
    assertEquals(0, c.progress().entries());
  }

  @Test
  void mtimeSetAfterTheLastWrite_isCommittedAsSet() throws IOException {
    WriteBackCache c = cache();
    long set = 1_234_567_890_000_000_000L;
    try (FileHandle h = c.open(fx.path("synced"), CREATE, FILE)) {
      write(h, 0, bytes(100));
      assertEquals(
          fx.wallClock.instant().getEpochSecond() * 1_000_000_000L,
          h.attributes().mtimeNanos(),
          "a write stamps the cache clock");
      h.setAttributes(a -> Entry.withTimes(a, set, a.ctimeNanos()));
    }
    scheduler.advance(Duration.ofSeconds(2));
    assertEquals(set, fx.record("synced").attributes().mtimeNanos());
    // utimens on a closed, clean file is the caller's business (SetAttributes on the ledger)
    assertFalse(c.setAttributes(fx.path("synced"), a -> a));
  }

  @Test
  void attributesOnly_commitKeepsTheVersionAndTheBytes() throws IOException {
    WriteBackCache c = cache();
    byte[] data = bytes(700);
    ObjectRecord first = commit(c, "mode", data);
    try (FileHandle h = c.open(fx.path("mode"), EXISTING, FILE)) {
      h.setAttributes(a -> PosixAttributes.of(0100600, 7, 8, 42, 43, "", java.util.Map.of()));
      h.fsync();
    }
    ObjectRecord second = fx.record("mode");
    assertEquals(first.version(), second.version());
    assertEquals(0100600, second.attributes().mode());
    assertEquals(42, second.attributes().mtimeNanos());
    assertArrayEquals(data, fx.committed("mode"));
  }

  @Test
  void failedUpload_keepsTheStagingFile_andARetrySucceedsLater() throws IOException {
    WriteBackCache c = cache();
    byte[] data = bytes(MIB + 10);
    fx.setMinersOnline(false);
    FileHandle h = c.open(fx.path("retry"), CREATE, FILE);
    write(h, 0, data);
    assertThrows(IOException.class, h::fsync);
    h.close();
    WriteBackCache.PendingFile p = c.pending(fx.path("retry")).orElseThrow();
    assertEquals(EntryState.FAILED, p.state());
    assertTrue(c.progress().lastError().contains("retry"), c.progress().lastError());
    assertEquals(1, stagingFiles());
    scheduler.advance(Duration.ofSeconds(1)); // first retry: miners still down
    assertEquals(EntryState.FAILED, c.pending(fx.path("retry")).orElseThrow().state());
    fx.setMinersOnline(true);
    scheduler.advance(Duration.ofSeconds(1));
    assertEquals(EntryState.FAILED, c.pending(fx.path("retry")).orElseThrow().state(), "backoff");
    scheduler.advance(Duration.ofSeconds(1)); // second retry waits 2 s
    assertArrayEquals(data, fx.committed("retry"));
    assertEquals(0, stagingFiles());
    assertEquals(0, c.progress().entries());
  }

  @Test
  void versionConflict_isReportedAndNotRetried_andTheBytesStay() throws IOException {
    WriteBackCache c = cache();
    commit(c, "shared", bytes(100));
    FileHandle mine = c.open(fx.path("shared"), EXISTING, FILE);
    write(mine, 0, "mine".getBytes());
    WriteBackCache other =
        fx.open(StoreFixture.config(dir.resolve("other")), new FakeScheduler(), direct);
    commit(other, "shared", "theirs".getBytes());
    VersionConflictException e = assertThrows(VersionConflictException.class, mine::fsync);
    assertEquals(fx.path("shared"), e.path());
    assertTrue(e.getMessage().contains("VERSION_CONFLICT"), e.getMessage());
    mine.close();
    assertEquals(EntryState.FAILED, c.pending(fx.path("shared")).orElseThrow().state());
    scheduler.advance(Duration.ofMinutes(10));
    assertArrayEquals("theirs".getBytes(), fx.committed("shared"));
    assertEquals(1, stagingFiles());
  }

  @Test
  void drain_flushesEverythingPending() throws Exception {
    ManualExecutor uploads = new ManualExecutor();
    WriteBackCache c = fx.open(StoreFixture.config(dir), scheduler, uploads);
    byte[] a = bytes(1000);
    byte[] b = bytes(2000);
    try (FileHandle h = c.open(fx.path("a"), CREATE, FILE)) {
      write(h, 0, a);
    }
    try (FileHandle h = c.open(fx.path("b"), CREATE, FILE)) {
      write(h, 0, b);
    }
    assertEquals(2, c.progress().entries());
    assertEquals(3000, c.progress().bytesPending());
    Thread drainer =
        new Thread(
            () -> {
              try {
                c.drain(Duration.ofSeconds(30), p -> {});
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    drainer.start();
    while (uploads.queued() < 2) {
      Thread.onSpinWait();
    }
    uploads.runAll();
    drainer.join(30_000);
    assertFalse(drainer.isAlive());
    assertArrayEquals(a, fx.committed("a"));
    assertArrayEquals(b, fx.committed("b"));
    assertEquals(0, c.progress().entries());
    assertEquals(0, c.progress().bytesPending());
    assertEquals(3000, c.progress().bytesDone());
  }

  @Test
  void discard_dropsAPendingUpload_andItsBytes() throws IOException {
    WriteBackCache c = cache();
    try (FileHandle h = c.open(fx.path("tmp"), CREATE, FILE)) {
      write(h, 0, bytes(4000));
    }
    assertEquals(4000, c.progress().bytesPending());
    assertTrue(c.discard(fx.path("tmp")));
    scheduler.advance(Duration.ofSeconds(10));
    assertTrue(fx.ledger.object(fx.alice.id(), StoreFixture.BUCKET, "tmp").isEmpty());
    assertEquals(0, c.progress().bytesPending());
    assertEquals(0, stagingFiles());
    assertFalse(c.discard(fx.path("tmp")));
  }

  @Test
  void pendingUnder_listsUncommittedFilesForADirectoryListing() throws IOException {
    WriteBackCache c = cache();
    try (FileHandle h = c.open(fx.path("d/x"), CREATE, FILE);
        FileHandle g = c.open(fx.path("e/y"), CREATE, FILE)) {
      write(h, 0, bytes(3));
      write(g, 0, bytes(4));
      var under = c.pendingUnder(fx.path("d/"));
      assertEquals(1, under.size());
      assertEquals(3, under.get(0).size());
      assertEquals(EntryState.DIRTY, under.get(0).state());
    }
  }

  /** A gate that holds uploads 250 ms at a time while {@code busy}, 10 s at most. */
  private static UploadGate gate(java.util.concurrent.atomic.AtomicBoolean busy) {
    return waited ->
        busy.get() && waited.compareTo(Duration.ofSeconds(10)) < 0
            ? Duration.ofMillis(250)
            : Duration.ZERO;
  }

  private WriteBackCache gatedCache(UploadGate gate) throws IOException {
    return WriteBackCache.open(
        StoreFixture.config(dir),
        fx.store,
        fx.segmentCache(),
        fx.noMetadata(),
        scheduler,
        direct,
        fx.wallClock,
        gate);
  }

  private boolean onLedger(String key) {
    return fx.ledger.object(fx.alice.id(), StoreFixture.BUCKET, key).isPresent();
  }

  @Test
  void close_whileTheGateHolds_uploadsOnceItOpens() throws IOException {
    var busy = new java.util.concurrent.atomic.AtomicBoolean(true);
    WriteBackCache c = gatedCache(gate(busy));
    byte[] data = bytes(3000);
    try (FileHandle h = c.open(fx.path("held"), CREATE, FILE)) {
      write(h, 0, data);
    }
    scheduler.advance(Duration.ofSeconds(2));
    for (int i = 0; i < 8; i++) {
      scheduler.advance(Duration.ofMillis(250));
    }
    assertFalse(onLedger("held"), "held while busy");
    busy.set(false);
    scheduler.advance(Duration.ofMillis(250));
    assertArrayEquals(data, fx.committed("held"));
  }

  @Test
  void close_whileTheGateHoldsForever_uploadsAfterItsMaximum() throws IOException {
    WriteBackCache c = gatedCache(gate(new java.util.concurrent.atomic.AtomicBoolean(true)));
    try (FileHandle h = c.open(fx.path("capped"), CREATE, FILE)) {
      write(h, 0, bytes(100));
    }
    scheduler.advance(Duration.ofSeconds(2));
    for (int i = 0; i < 39; i++) {
      scheduler.advance(Duration.ofMillis(250));
    }
    assertFalse(onLedger("capped"));
    scheduler.advance(Duration.ofMillis(250));
    assertTrue(onLedger("capped"), "10 s held, then uploaded");
  }

  @Test
  void fsync_andReopen_whileTheGateHolds_areNotHeld() throws IOException {
    WriteBackCache c = gatedCache(gate(new java.util.concurrent.atomic.AtomicBoolean(true)));
    try (FileHandle h = c.open(fx.path("reopened"), CREATE, FILE)) {
      write(h, 0, bytes(10));
    }
    scheduler.advance(Duration.ofSeconds(3));
    try (FileHandle h = c.open(fx.path("reopened"), EXISTING, FILE)) {
      assertEquals(0, scheduler.pending(), "a reopen cancels the held upload");
      write(h, 10, bytes(10));
      h.fsync();
      assertEquals(20, fx.record("reopened").size(), "fsync commits at once");
    }
  }
}
