package org.deoss.cache;

import static org.deoss.cache.StoreFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.pipeline.ObjectReader;
import org.deoss.core.pipeline.ObjectWriter;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.pipeline.ProgressListener;
import org.deoss.core.placement.Placement;
import org.deoss.core.port.InMemoryMinerDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SegmentCacheTest {
  private final java.util.concurrent.ScheduledExecutorService hedger =
      Executors.newSingleThreadScheduledExecutor();
  private final InMemoryMinerDirectory miners = InMemoryMinerDirectory.of(3, 1, 1L << 30);
  private final java.security.SecureRandom secure = new java.security.SecureRandom();
  private final DataKey key = DataKey.generate(secure);
  private final byte[] content = new byte[4 * MIB];
  private final ObjectManifest manifest;

  SegmentCacheTest() throws IOException {
    new SplittableRandom(8).nextBytes(content);
    PipelineConfig config = PipelineConfig.defaults().withSegmentSize(MIB).withCoding(2, 1);
    ObjectWriter writer =
        new ObjectWriter(config, miners, Placement.create(2, 1, new SplittableRandom(1)), secure);
    manifest =
        writer
            .write(
                ObjectId.random(secure),
                key,
                new ByteArrayInputStream(content),
                ProgressListener.NONE)
            .manifest();
  }

  @AfterEach
  void stop() {
    hedger.shutdownNow();
  }

  private ObjectReader reader() {
    return new ObjectReader(miners, hedger, Duration.ZERO, Runnable::run);
  }

  @Test
  void range_ofAHeldSegment_isSlicedFromMemory_otherwiseReadAsARange() throws Exception {
    SegmentCache cache = SegmentCache.create(reader(), 8L * MIB, Runnable::run);
    // Not held: read as a range; only the chunks of the block around it are cached, not the
    // segment.
    assertArrayEquals(
        Arrays.copyOfRange(content, 2 * MIB + 1000, 2 * MIB + 5096),
        cache.range(manifest, key, 2, 1000, 4096).get());
    long held = cache.weightedBytes();
    assertTrue(held > 0 && held <= CaffeineSegmentCache.READ_AROUND + 1024, "held " + held);
    // Held: served with every miner offline.
    cache.segment(manifest, key, 3).get();
    for (var m : miners.miners()) {
      miners.memoryStore(m).setOnline(false);
    }
    assertArrayEquals(
        Arrays.copyOfRange(content, 3 * MIB + 7, 3 * MIB + 7 + 100_000),
        cache.range(manifest, key, 3, 7, 100_000).get());
  }

  @Test
  void segment_isDecodedOnce_andServedFromMemoryAfter() throws Exception {
    SegmentCache cache = SegmentCache.create(reader(), 8L * MIB, Runnable::run);
    byte[] first = cache.segment(manifest, key, 1).get();
    assertArrayEquals(Arrays.copyOfRange(content, MIB, 2 * MIB), first);
    for (var m : miners.miners()) {
      miners.memoryStore(m).setOnline(false);
    }
    assertSame(first, cache.segment(manifest, key, 1).get(), "no miner asked again");
  }

  @Test
  void concurrentReaders_shareOneLoad() throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    java.util.concurrent.atomic.AtomicInteger decodes =
        new java.util.concurrent.atomic.AtomicInteger();
    // Decoding waits on the gate, so the second request finds the first load in flight.
    ObjectReader gated =
        new ObjectReader(
            miners,
            hedger,
            Duration.ZERO,
            r -> {
              decodes.incrementAndGet();
              gate.thenRun(r);
            });
    SegmentCache cache = SegmentCache.create(gated, 8L * MIB, Runnable::run);
    CompletableFuture<byte[]> a = cache.segment(manifest, key, 2);
    CompletableFuture<byte[]> b = cache.segment(manifest, key, 2);
    assertTrue(!a.isDone() && !b.isDone());
    gate.complete(null);
    byte[] expected = Arrays.copyOfRange(content, 2 * MIB, 3 * MIB);
    assertArrayEquals(expected, a.get());
    assertSame(a.get(), b.get());
    assertEquals(1, decodes.get(), "one decode for two readers");
  }

  @Test
  void weight_staysWithinTheByteBound() throws Exception {
    SegmentCache cache = SegmentCache.create(reader(), 2L * MIB, Runnable::run);
    for (int s = 0; s < 4; s++) {
      cache.segment(manifest, key, s).get();
    }
    long held = cache.weightedBytes();
    assertTrue(held <= 2L * MIB, "held " + held);
    assertTrue(held >= MIB, "held " + held);
  }

  @Test
  void segmentOutOfRange_failsNamingTheIndex() {
    SegmentCache cache = SegmentCache.create(reader(), MIB, Runnable::run);
    var f = cache.segment(manifest, key, 9);
    var e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, f::get);
    assertTrue(e.getCause().getMessage().contains("segment 9"), e.getCause().getMessage());
    assertEquals(0, cache.weightedBytes());
  }

  @Test
  void read_ofACachedChunk_isServedWithEveryMinerOffline() throws Exception {
    SegmentCache cache = SegmentCache.create(reader(), 8L * MIB, Runnable::run);
    ByteBuffer first = ByteBuffer.allocate(4096);
    assertEquals(4096, cache.read(manifest, key, 1, 70_000, first));
    for (var m : miners.miners()) {
      miners.memoryStore(m).setOnline(false);
    }
    // 70,000 and 100,000 lie in the same 64 KiB chunk (65,536 .. 131,071).
    ByteBuffer again = ByteBuffer.allocate(4096);
    assertEquals(4096, cache.read(manifest, key, 1, 100_000, again));
    assertArrayEquals(Arrays.copyOfRange(content, MIB + 100_000, MIB + 104_096), again.array());
  }

  @Test
  void read_thatMisses_cachesItsBlock_soANeighbourNeedsNoMiner() throws Exception {
    SegmentCache cache = SegmentCache.create(reader(), 8L * MIB, Runnable::run);
    ByteBuffer first = ByteBuffer.allocate(4096);
    assertEquals(4096, cache.read(manifest, key, 1, 70_000, first));
    assertArrayEquals(Arrays.copyOfRange(content, MIB + 70_000, MIB + 74_096), first.array());
    for (var m : miners.miners()) {
      miners.memoryStore(m).setOnline(false);
    }
    // 200,000 is in chunk 3 (196,608 .. 262,143), in the same 256 KiB block as chunk 1.
    ByteBuffer near = ByteBuffer.allocate(4096);
    assertEquals(4096, cache.read(manifest, key, 1, 200_000, near));
    assertArrayEquals(Arrays.copyOfRange(content, MIB + 200_000, MIB + 204_096), near.array());
    // 300,000 is in the next block: not fetched, and the miners are offline.
    org.junit.jupiter.api.Assertions.assertThrows(
        IOException.class, () -> cache.read(manifest, key, 1, 300_000, ByteBuffer.allocate(10)));
  }

  @Test
  void read_atRandomOffsetsAndLengths_returnsTheContent() throws Exception {
    long seed = 20261124L;
    SplittableRandom r = new SplittableRandom(seed);
    SegmentCache cache = SegmentCache.create(reader(), 8L * MIB, Runnable::run);
    for (int i = 0; i < 200; i++) {
      int index = r.nextInt(manifest.segments().size());
      int from = r.nextInt(MIB);
      int length = 1 + r.nextInt(300_000);
      ByteBuffer dst = ByteBuffer.allocate(length);
      int n = cache.read(manifest, key, index, from, dst);
      int expected = Math.min(length, MIB - from);
      String where = "seed " + seed + ", read " + i + " at " + index + "/" + from + "+" + length;
      assertEquals(expected, n, where);
      int base = index * MIB + from;
      assertArrayEquals(
          Arrays.copyOfRange(content, base, base + n), Arrays.copyOf(dst.array(), n), where);
    }
  }

  @Test
  void read_ofAHeldSegment_needsNoMiner() throws Exception {
    SegmentCache cache = SegmentCache.create(reader(), 8L * MIB, Runnable::run);
    cache.segment(manifest, key, 0).get();
    for (var m : miners.miners()) {
      miners.memoryStore(m).setOnline(false);
    }
    ByteBuffer dst = ByteBuffer.allocate(200_000);
    assertEquals(200_000, cache.read(manifest, key, 0, 5, dst));
    assertArrayEquals(Arrays.copyOfRange(content, 5, 200_005), dst.array());
  }

  @Test
  void readAhead_isWhatAQuarterOfTheCacheHolds_from1To3() {
    assertEquals(1, SegmentCache.create(reader(), 32L * MIB, Runnable::run).readAhead(32 * MIB));
    assertEquals(2, SegmentCache.create(reader(), 256L * MIB, Runnable::run).readAhead(32 * MIB));
    assertEquals(3, SegmentCache.create(reader(), 1L << 30, Runnable::run).readAhead(MIB));
  }
}
