package org.deoss.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Scheduler;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.PosixAttributes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production wiring (a thread pool for uploads, a real scheduler, no delay) under several
 * writers and a small dirty bound: every file is committed with its bytes, nothing deadlocks.
 */
class ConcurrentWritersTest {
  private static final long SEED = 4242;

  @TempDir Path dir;
  private final StoreFixture fx = new StoreFixture();
  private final ExecutorService uploads = Executors.newFixedThreadPool(2);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService writers = Executors.newFixedThreadPool(3);

  @AfterEach
  void stop() {
    uploads.shutdownNow();
    timer.shutdownNow();
    writers.shutdownNow();
    fx.close();
  }

  @Test
  void severalWriters_smallDirtyBound_everyFileCommitted() throws Exception {
    CacheConfig config =
        StoreFixture.config(dir).withFlushDelay(Duration.ZERO).withMaxDirtyBytes(512 * 1024);
    WriteBackCache c =
        WriteBackCache.open(
            config,
            fx.store,
            fx.segmentCache(),
            fx.noMetadata(),
            Scheduler.forScheduledExecutorService(timer),
            uploads,
            fx.wallClock);
    Map<String, byte[]> expected = new ConcurrentHashMap<>();
    List<Future<?>> jobs = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int writer = w;
      jobs.add(
          writers.submit(
              () -> {
                SplittableRandom random = new SplittableRandom(SEED + writer);
                for (int i = 0; i < 12; i++) {
                  String key = "w" + writer + "/f" + i;
                  byte[] data = new byte[1 + random.nextInt(150_000)];
                  random.nextBytes(data);
                  try (FileHandle h =
                      c.open(
                          fx.path(key),
                          EnumSet.of(OpenFlag.CREATE),
                          PosixAttributes.file(0100644, 1))) {
                    for (int at = 0; at < data.length; at += 32_768) {
                      int n = Math.min(32_768, data.length - at);
                      h.write(at, ByteBuffer.wrap(data, at, n));
                    }
                  }
                  expected.put(key, data);
                }
                return null;
              }));
    }
    for (Future<?> j : jobs) {
      j.get(60, TimeUnit.SECONDS);
    }
    List<WriteBackCache.PendingFile> left = c.drain(Duration.ofSeconds(60), p -> {});
    assertTrue(left.isEmpty(), "not committed: " + left);
    assertEquals(36, expected.size());
    for (Map.Entry<String, byte[]> e : expected.entrySet()) {
      assertArrayEquals(e.getValue(), fx.committed(e.getKey()), e.getKey() + ", seed " + SEED);
    }
    assertEquals(0, c.progress().bytesPending());
    c.close();
  }

  @Test
  void mixedEditsRenamesAndFsyncs_fromSeveralThreads_endAsTheModel() throws Exception {
    CacheConfig config =
        StoreFixture.config(dir).withFlushDelay(Duration.ZERO).withMaxDirtyBytes(1 << 20);
    WriteBackCache c =
        WriteBackCache.open(
            config,
            fx.store,
            fx.segmentCache(),
            fx.noMetadata(),
            Scheduler.forScheduledExecutorService(timer),
            uploads,
            fx.wallClock);
    Map<String, byte[]> expected = new ConcurrentHashMap<>();
    List<Future<?>> jobs = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int writer = w;
      jobs.add(
          writers.submit(
              () -> {
                SplittableRandom random = new SplittableRandom(SEED * 31 + writer);
                Map<String, byte[]> mine = new java.util.HashMap<>();
                for (int i = 0; i < 15; i++) {
                  String key = "m" + writer + "/f" + random.nextInt(4);
                  int op = random.nextInt(3);
                  if (op == 0 || !mine.containsKey(key)) {
                    // write a temporary file and rename it over the target
                    byte[] data = new byte[1 + random.nextInt(100_000)];
                    random.nextBytes(data);
                    String tmp = "m" + writer + "/.tmp" + i;
                    try (FileHandle h =
                        c.open(
                            fx.path(tmp),
                            EnumSet.of(OpenFlag.CREATE, OpenFlag.EXCLUSIVE),
                            PosixAttributes.file(0100644, 1))) {
                      h.write(0, ByteBuffer.wrap(data));
                    }
                    if (!c.rename(fx.path(tmp), fx.path(key))) {
                      // already committed and gone from the cache: the caller renames on the
                      // ledger, as the file system adapter does
                      synchronized (fx.store.tx()) {
                        fx.store
                            .tx()
                            .submitAndWait(
                                new Call.RenameObject(
                                    fx.alice.id(), StoreFixture.BUCKET, tmp, key, true));
                      }
                    }
                    mine.put(key, data);
                  } else {
                    // edit in place, sometimes with fsync
                    byte[] data = mine.get(key);
                    int at = random.nextInt(data.length + 1);
                    byte[] patch = new byte[1 + random.nextInt(20_000)];
                    random.nextBytes(patch);
                    try (FileHandle h =
                        c.open(fx.path(key), EnumSet.noneOf(OpenFlag.class), null)) {
                      h.write(at, ByteBuffer.wrap(patch));
                      if (op == 2) {
                        h.fsync();
                      }
                    }
                    byte[] next =
                        java.util.Arrays.copyOf(data, Math.max(data.length, at + patch.length));
                    System.arraycopy(patch, 0, next, at, patch.length);
                    mine.put(key, next);
                  }
                }
                expected.putAll(mine);
                return null;
              }));
    }
    for (Future<?> j : jobs) {
      j.get(60, TimeUnit.SECONDS);
    }
    List<WriteBackCache.PendingFile> left = c.drain(Duration.ofSeconds(60), p -> {});
    assertTrue(left.isEmpty(), "not committed: " + left);
    for (Map.Entry<String, byte[]> e : expected.entrySet()) {
      assertArrayEquals(e.getValue(), fx.committed(e.getKey()), e.getKey() + ", seed " + SEED);
    }
    c.close();
  }
}
