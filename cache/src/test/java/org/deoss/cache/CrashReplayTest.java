package org.deoss.cache;

import static org.deoss.cache.StoreFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache dropped without drain or close (a kill), then a new cache over the same directory: every
 * closed or fsynced file is committed after replay with the right bytes, and writes that were never
 * acknowledged are kept aside rather than committed.
 */
class CrashReplayTest {
  private static final long SEED = 99;
  private static final Set<OpenFlag> CREATE = EnumSet.of(OpenFlag.CREATE);
  private static final PosixAttributes FILE = PosixAttributes.file(0100644, 1);

  @TempDir Path dir;
  private final StoreFixture fx = new StoreFixture();
  private final SplittableRandom random = new SplittableRandom(SEED);

  @AfterEach
  void stop() {
    fx.close();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private boolean exists(String key) {
    return fx.ledger.object(fx.alice.id(), StoreFixture.BUCKET, key).isPresent();
  }

  @Test
  void restart_commitsEveryClosedFile_withoutWaitingAtStart() throws IOException {
    // First run: uploads never run (its executor is never drained), then it is dropped.
    ManualExecutor deadUploads = new ManualExecutor();
    WriteBackCache first = fx.open(StoreFixture.config(dir), new FakeScheduler(), deadUploads);
    byte[] base = bytes(3 * MIB);
    try (FileHandle h = first.open(fx.path("edited"), CREATE, FILE)) {
      h.write(0, ByteBuffer.wrap(base));
      h.fsync(); // runs on this thread: committed before the crash
    }
    ObjectRecord v1 = fx.record("edited");
    byte[] closedNew = bytes(MIB + 77);
    try (FileHandle h = first.open(fx.path("closed-new"), CREATE, FILE)) {
      h.write(0, ByteBuffer.wrap(closedNew));
    }
    byte[] edited = base.clone();
    byte[] patch = bytes(64);
    System.arraycopy(patch, 0, edited, MIB + 3, 64);
    long mtime = 777_000_000_000L;
    try (FileHandle h = first.open(fx.path("edited"), Set.of(), FILE)) {
      h.write(MIB + 3, ByteBuffer.wrap(patch));
      h.setAttributes(a -> Entry.withTimes(a, mtime, a.ctimeNanos()));
    }
    FileHandle neverClosed = first.open(fx.path("unacknowledged"), CREATE, FILE);
    neverClosed.write(0, ByteBuffer.wrap(bytes(500)));
    assertTrue(!exists("closed-new") && fx.record("edited").version() == v1.version());
    // kill: `first` is dropped as it is

    ManualExecutor uploads = new ManualExecutor();
    WriteBackCache second = fx.open(StoreFixture.config(dir), new FakeScheduler(), uploads);
    assertEquals(2, second.progress().entries(), "both closed files are queued");
    assertTrue(!exists("closed-new"), "open returned before uploading anything");
    uploads.runAll();
    assertArrayEquals(closedNew, fx.committed("closed-new"));
    ObjectRecord v2 = fx.record("edited");
    assertArrayEquals(edited, fx.committed("edited"));
    assertEquals(mtime, v2.attributes().mtimeNanos());
    assertEquals(v1.manifest().segments().get(0), v2.manifest().segments().get(0));
    assertEquals(v1.manifest().segments().get(2), v2.manifest().segments().get(2));
    assertTrue(!exists("unacknowledged"), "never-acknowledged writes are not committed");
    try (var s = Files.list(dir.resolve("lost+found"))) {
      assertEquals(2, s.count(), "record and staging file of the unacknowledged file are kept");
    }
    assertEquals(0, second.progress().entries());
  }

  @Test
  void restart_commitsWhatWasAcknowledged_evenIfTheHandleWasNeverReleased() throws IOException {
    // FUSE answers close(2) after FLUSH (acknowledge) and releases the handle later: a kill in
    // between must keep what the program saw closed, and only that.
    WriteBackCache first = fx.open(StoreFixture.config(dir), new FakeScheduler(), r -> {});
    byte[] closed = bytes(70_000);
    FileHandle h = first.open(fx.path("flushed"), CREATE, FILE);
    h.write(0, ByteBuffer.wrap(closed));
    h.acknowledge();
    FileHandle again = first.open(fx.path("flushed-then-written"), CREATE, FILE);
    again.write(0, ByteBuffer.wrap(closed));
    again.acknowledge();
    again.write(closed.length, ByteBuffer.wrap(bytes(10))); // after the ack: may be lost
    // kill: neither handle is released

    WriteBackCache second = fx.open(StoreFixture.config(dir), new FakeScheduler(), Runnable::run);
    assertEquals(0, second.progress().entries(), second.progress().toString());
    assertArrayEquals(closed, fx.committed("flushed"));
    byte[] got = fx.committed("flushed-then-written");
    assertArrayEquals(closed, java.util.Arrays.copyOf(got, closed.length));
  }

  @Test
  void restart_afterTheCommitButBeforeTheRecordWasRemoved_recognisesTheCommit() throws IOException {
    WriteBackCache first = fx.open(StoreFixture.config(dir), new FakeScheduler(), r -> {});
    try (FileHandle h = first.open(fx.path("done"), CREATE, FILE)) {
      h.write(0, ByteBuffer.wrap("payload".getBytes()));
    }
    Path journal = dir.resolve("journal");
    byte[] saved;
    try (var s = Files.list(journal)) {
      Path rec = s.findFirst().orElseThrow();
      saved = Files.readAllBytes(rec);
      // Run the upload on a second cache instance over a copy would be heavier; instead commit
      // through the first cache and put the record back, as if the crash came before removal.
      first.flush(fx.path("done"));
      assertTrue(exists("done"));
      JournalRecord r = JournalRecord.decode(saved);
      ObjectRecord committed = fx.record("done");
      JournalRecord stale =
          new JournalRecord(
              r.id(),
              r.path(),
              true,
              r.baseVersion(),
              r.replaceVersion(),
              r.segmentSize(),
              r.size(),
              r.baseValid(),
              r.dataDirty(),
              r.touched(),
              r.present(),
              r.attributes(),
              committed.manifest().fid());
      Files.write(rec, stale.encode());
      Files.write(dir.resolve("staging").resolve(r.id() + ".data"), "payload".getBytes());
      long version = committed.version();
      WriteBackCache second = fx.open(StoreFixture.config(dir), new FakeScheduler(), Runnable::run);
      assertEquals(0, second.progress().entries(), second.progress().toString());
      assertEquals(version, fx.record("done").version(), "no second commit, no conflict");
      assertTrue(second.progress().lastError() == null, second.progress().lastError());
    }
  }

  @Test
  void cleanShutdown_withUploadsFailing_keepsThem_andTheNextStartCommitsThem() throws Exception {
    fx.setMinersOnline(false);
    WriteBackCache first = fx.open(StoreFixture.config(dir), new FakeScheduler(), Runnable::run);
    byte[] data = bytes(200_000);
    try (FileHandle h = first.open(fx.path("offline"), CREATE, FILE)) {
      h.write(0, ByteBuffer.wrap(data));
    }
    java.util.List<UploadProgress> seen = new java.util.ArrayList<>();
    java.util.List<WriteBackCache.PendingFile> left =
        first.drain(java.time.Duration.ofSeconds(30), seen::add);
    assertEquals(1, left.size());
    assertEquals(EntryState.FAILED, left.get(0).state());
    assertTrue(!seen.isEmpty() && seen.get(seen.size() - 1).failed() == 1);
    first.close();
    assertTrue(!exists("offline"));
    fx.setMinersOnline(true);
    WriteBackCache second = fx.open(StoreFixture.config(dir), new FakeScheduler(), Runnable::run);
    assertEquals(0, second.progress().entries());
    assertArrayEquals(data, fx.committed("offline"));
  }
}
