package org.deoss.cache;

import static org.deoss.cache.StoreFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.deoss.core.account.AccountId;
import org.deoss.core.ledger.PosixAttributes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new file large enough starts uploading while it is written; fsync commits what it stored. */
class StreamingUploadTest {
  private static final long SEED = 41;
  private static final PosixAttributes FILE = PosixAttributes.file(0100644, 1);
  private static final int SIZE = (int) StreamingUpload.START_AT + 4 * MIB;

  @TempDir Path dir;
  private final StoreFixture fx = new StoreFixture();
  private final ExecutorService uploads = Executors.newFixedThreadPool(2);
  private final byte[] content = new byte[SIZE];

  StreamingUploadTest() {
    new SplittableRandom(SEED).nextBytes(content);
  }

  @AfterEach
  void stop() throws InterruptedException {
    uploads.shutdownNow();
    uploads.awaitTermination(10, TimeUnit.SECONDS);
    fx.close();
  }

  private WriteBackCache cache() throws IOException {
    return fx.open(StoreFixture.config(dir), new FakeScheduler(), uploads);
  }

  private long storedBytes() {
    long n = 0;
    for (AccountId m : fx.miners.miners()) {
      n += fx.miners.memoryStore(m).stats().join().usedBytes();
    }
    return n;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
      Thread.sleep(5);
    }
  }

  /** Writes {@code content[0, to)} in 1 MiB writes. */
  private void writeUpTo(FileHandle h, int to) throws IOException {
    for (int at = (int) h.size(); at < to; at += MIB) {
      h.write(at, ByteBuffer.wrap(content, at, Math.min(MIB, to - at)));
    }
  }

  @Test
  void largeNewFile_isStoredWhileWritten_andCommittedOnceByFsync() throws Exception {
    WriteBackCache c = cache();
    try (FileHandle h = c.open(fx.path("big"), EnumSet.of(OpenFlag.CREATE), FILE)) {
      writeUpTo(h, (int) StreamingUpload.START_AT + MIB);
      await("segments are stored before the file is closed", () -> storedBytes() > 8L * MIB);
      writeUpTo(h, SIZE);
      h.fsync();
    }
    assertArrayEquals(content, fx.committed("big"), "seed " + SEED);
    long stored = storedBytes();
    long once = SIZE * 3L / 2; // RS 2+1
    assertTrue(stored < once * 11 / 10, "stored " + stored + " bytes: uploaded twice?");
    c.close();
  }

  @Test
  void writeBehindWhatWasStored_commitsTheNewBytes() throws Exception {
    WriteBackCache c = cache();
    try (FileHandle h = c.open(fx.path("edited"), EnumSet.of(OpenFlag.CREATE), FILE)) {
      writeUpTo(h, SIZE);
      await("segments are stored", () -> storedBytes() > 8L * MIB);
      byte[] patch = new byte[10_000];
      new SplittableRandom(SEED + 1).nextBytes(patch);
      System.arraycopy(patch, 0, content, 5, patch.length);
      h.write(5, ByteBuffer.wrap(patch));
      h.fsync();
    }
    assertArrayEquals(content, fx.committed("edited"), "seed " + SEED);
    c.close();
  }

  @Test
  void truncateBelowWhatWasStored_commitsTheShorterFile() throws Exception {
    WriteBackCache c = cache();
    int cut = 3 * MIB + 17;
    try (FileHandle h = c.open(fx.path("cut"), EnumSet.of(OpenFlag.CREATE), FILE)) {
      writeUpTo(h, SIZE);
      await("segments are stored", () -> storedBytes() > 8L * MIB);
      h.truncate(cut);
      h.fsync();
    }
    assertArrayEquals(java.util.Arrays.copyOf(content, cut), fx.committed("cut"), "seed " + SEED);
    c.close();
  }

  @Test
  void largeNewFile_closedWithoutFsync_isCommittedByTheDelayedFlush() throws Exception {
    WriteBackCache c = cache();
    try (FileHandle h = c.open(fx.path("closed"), EnumSet.of(OpenFlag.CREATE), FILE)) {
      writeUpTo(h, SIZE);
    }
    c.flush(fx.path("closed"));
    assertArrayEquals(content, fx.committed("closed"), "seed " + SEED);
    c.close();
  }

  @Test
  void fileLargerThanTheDirtyBound_keepsWritingWhileItUploads_andCommitsOnce() throws Exception {
    int size = SIZE + 40 * MIB; // the bound below is 40 MiB
    byte[] big = new byte[size];
    new SplittableRandom(SEED + 2).nextBytes(big);
    WriteBackCache c =
        fx.open(
            StoreFixture.config(dir).withMaxDirtyBytes(40L * MIB), new FakeScheduler(), uploads);
    try (FileHandle h = c.open(fx.path("huge"), EnumSet.of(OpenFlag.CREATE), FILE)) {
      for (int at = 0; at < size; at += MIB) {
        h.write(at, ByteBuffer.wrap(big, at, Math.min(MIB, size - at)));
      }
      assertTrue(
          fx.ledger.object(fx.alice.id(), StoreFixture.BUCKET, "huge").isEmpty(),
          "the writer waited for a commit of part of the file");
      h.fsync();
    }
    assertArrayEquals(big, fx.committed("huge"), "seed " + (SEED + 2));
    c.close();
  }

  @Test
  void directExecutor_neverStreams_andBackpressureStillFlushes() throws Exception {
    int size = SIZE + 40 * MIB;
    byte[] big = new byte[size];
    new SplittableRandom(SEED + 3).nextBytes(big);
    WriteBackCache c =
        fx.open(
            StoreFixture.config(dir).withMaxDirtyBytes(40L * MIB),
            new FakeScheduler(),
            Runnable::run);
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(120),
        () -> {
          try (FileHandle h = c.open(fx.path("direct"), EnumSet.of(OpenFlag.CREATE), FILE)) {
            for (int at = 0; at < size; at += MIB) {
              h.write(at, ByteBuffer.wrap(big, at, Math.min(MIB, size - at)));
            }
            h.fsync();
          }
        },
        "a writer over the bound waited for an upload that cannot run");
    assertArrayEquals(big, fx.committed("direct"), "seed " + (SEED + 3));
    c.close();
  }

  /** Appends {@code bytes} to the entry as the cache's write does, under the entry's lock. */
  private static void append(Entry e, StreamingUpload s, byte[] bytes) throws IOException {
    e.lock.lock();
    try {
      long at = e.size;
      e.writeStaging(at, ByteBuffer.wrap(bytes));
      e.size = at + bytes.length;
      s.wrote(at, bytes.length);
    } finally {
      e.lock.unlock();
    }
  }

  private Entry entry(String name) throws IOException {
    Path file = dir.resolve(name + ".data");
    java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.READ,
            java.nio.file.StandardOpenOption.WRITE);
    return new Entry(name, fx.path(name), file, ch);
  }

  private StreamingUpload streamOf(Entry e) {
    return new StreamingUpload(
        e,
        org.deoss.core.manifest.ObjectId.random(fx.secure),
        org.deoss.core.crypto.DataKey.generate(fx.secure));
  }

  @Test
  void stream_readsEveryByteInOrder_whileWritesArrive_andEndsAtTheFixedSize() throws Exception {
    Entry e = entry("s");
    StreamingUpload s = streamOf(e);
    byte[] data = new byte[5 * MIB + 12_345];
    new SplittableRandom(SEED + 4).nextBytes(data);
    java.util.concurrent.Future<byte[]> read =
        uploads.submit(() -> s.stream().readAllBytes()); // waits for bytes, then for the end
    for (int at = 0; at < data.length; at += 128 << 10) {
      append(e, s, java.util.Arrays.copyOfRange(data, at, Math.min(data.length, at + (128 << 10))));
    }
    e.lock.lock();
    try {
      s.finish(data.length);
    } finally {
      e.lock.unlock();
    }
    assertArrayEquals(data, read.get(20, TimeUnit.SECONDS), "seed " + (SEED + 4));
    e.staging.close();
  }

  @Test
  void stream_writeIntoBytesAlreadyRead_failsTheNextRead_evenAfterTheEndIsFixed() throws Exception {
    Entry e = entry("w");
    StreamingUpload s = streamOf(e);
    append(e, s, new byte[2 * MIB]);
    java.io.InputStream in = s.stream();
    byte[] buf = new byte[MIB];
    assertTrue(in.read(buf, 0, buf.length) > 0);
    e.lock.lock();
    try {
      e.writeStaging(10, ByteBuffer.wrap(new byte[] {1}));
      s.wrote(10, 1);
      s.finish(e.size);
    } finally {
      e.lock.unlock();
    }
    byte[] rest = new byte[2 * MIB];
    IOException ex =
        org.junit.jupiter.api.Assertions.assertThrows(
            IOException.class, () -> in.readNBytes(rest, 0, rest.length));
    assertTrue(ex.getMessage().contains("changed bytes already uploaded"), ex.getMessage());
    e.staging.close();
  }

  @Test
  void stalled_whenNothingWasGivenBackSinceTheLastLook_orTheUploadEnded() throws Exception {
    Path file = dir.resolve("x.data");
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.READ,
            java.nio.file.StandardOpenOption.WRITE)) {
      Entry e = new Entry("x", fx.path("x"), file, ch);
      StreamingUpload s =
          new StreamingUpload(
              e,
              org.deoss.core.manifest.ObjectId.random(fx.secure),
              org.deoss.core.crypto.DataKey.generate(fx.secure));
      org.junit.jupiter.api.Assertions.assertFalse(s.stalled(), "first look");
      assertTrue(s.stalled(), "nothing given back since");
      s.released = 5;
      org.junit.jupiter.api.Assertions.assertFalse(s.stalled(), "5 bytes given back");
      s.refuse("test");
      assertTrue(s.stalled(), "ended");
    }
  }
}
