package org.deoss.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.deoss.cache.SegmentCache;
import org.deoss.core.access.ObjectKeys;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.manifest.ObjectManifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads of a committed file: the streaming window and the random-read path. */
class FsCommittedFileTest {
  private static final int MIB = 1 << 20;
  private static final long SEED = 99;

  @TempDir Path dir;
  private FsFixture fx;
  private byte[] data;
  private ObjectRecord record;
  private DataKey key;

  @BeforeEach
  void start() throws Exception {
    fx = new FsFixture(dir);
    data = new byte[6 * MIB + 123];
    new SplittableRandom(SEED).nextBytes(data);
    long fh = fx.core.create("/files/movie", 0644, FsCore.O_CREAT | 01, 1, 1);
    fx.core.write(fh, 0, ByteBuffer.wrap(data));
    fx.core.release(fh);
    fx.drain();
    record = fx.record("files", "movie");
    key =
        ObjectKeys.open(
            record.access(), record.manifest().objectId(), fx.alice.id(), fx.encryption);
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  /** Counts the segment loads asked of a real cache, per index. */
  private static final class Counting implements SegmentCache {
    final SegmentCache inner;
    final Map<Integer, AtomicInteger> asked = new ConcurrentHashMap<>();

    Counting(SegmentCache inner) {
      this.inner = inner;
    }

    @Override
    public CompletableFuture<byte[]> segment(ObjectManifest m, DataKey k, int index) {
      asked.computeIfAbsent(index, i -> new AtomicInteger()).incrementAndGet();
      return inner.segment(m, k, index);
    }

    @Override
    public int read(ObjectManifest m, DataKey k, int index, int from, ByteBuffer dst)
        throws IOException {
      return inner.read(m, k, index, from, dst);
    }

    @Override
    public CompletableFuture<byte[]> range(
        ObjectManifest m, DataKey k, int index, int from, int length) {
      return inner.range(m, k, index, from, length);
    }

    @Override
    public int readAhead(int segmentSize) {
      return inner.readAhead(segmentSize);
    }

    @Override
    public long weightedBytes() {
      return inner.weightedBytes();
    }

    @Override
    public void invalidateAll() {
      inner.invalidateAll();
    }
  }

  @Test
  void streamingRead_asksForEachSegmentOnce_andAheadOfTheReader() throws Exception {
    // A cache of one segment: whatever it evicts, the handle keeps its own window.
    Counting segments = new Counting(SegmentCache.create(fx.reader, MIB, Runnable::run));
    FsPath path = new FsPath(FsPath.Kind.ENTRY, "files", "movie", "/files/movie");
    CommittedFile f = new CommittedFile(path, record, key, segments);
    ByteBuffer all = ByteBuffer.allocate(data.length);
    for (int pos = 0; pos < data.length; ) {
      ByteBuffer part = all.slice(pos, Math.min(128 * 1024, data.length - pos));
      pos += f.read(pos, part);
      if (pos == 128 * 1024) {
        assertTrue(segments.asked.containsKey(1), "segment 1 asked for while 0 is read");
      }
    }
    assertArrayEquals(data, all.array(), "seed " + SEED);
    int count = record.manifest().segments().size();
    assertEquals(count, segments.asked.size());
    segments.asked.forEach((i, n) -> assertEquals(1, n.get(), "segment " + i + " loaded again"));
    f.close();
  }

  @Test
  void readsFarApart_matchTheContent_andLoadNoSegment() throws Exception {
    Counting segments = new Counting(SegmentCache.create(fx.reader, 16L * MIB, Runnable::run));
    FsPath path = new FsPath(FsPath.Kind.ENTRY, "files", "movie", "/files/movie");
    CommittedFile f = new CommittedFile(path, record, key, segments);
    SplittableRandom r = new SplittableRandom(SEED + 1);
    long end = -1;
    for (int i = 0; i < 100; i++) {
      int off;
      do { // each read far from where the previous one ended, as a database's would be
        off = r.nextInt(data.length);
      } while (off == 0 || (end >= 0 && Math.abs(off - end) <= 1024 * 1024));
      int len = 1 + r.nextInt(200_000);
      ByteBuffer dst = ByteBuffer.allocate(len);
      int n = f.read(off, dst);
      int want = Math.min(len, data.length - off);
      String where = "seed " + (SEED + 1) + ", read " + i + " at " + off + "+" + len;
      assertEquals(want, n, where);
      end = off + n;
      assertArrayEquals(
          java.util.Arrays.copyOfRange(data, off, off + n),
          java.util.Arrays.copyOf(dst.array(), n),
          where);
    }
    assertTrue(segments.asked.isEmpty(), "random reads loaded segments " + segments.asked);
    f.close();
  }
}
