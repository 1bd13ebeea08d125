package org.deoss.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.deoss.core.account.AccountId;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.hash.Hash256;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.placement.Candidate;
import org.deoss.core.placement.Placement;
import org.deoss.core.port.ForwardingFragmentStore;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.InMemoryMinerDirectory;
import org.deoss.core.port.MinerDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Small ranges read from fragment byte ranges, and the fallback to whole segments. */
class RangeReadTest {
  private static final long SEED = 4096;
  private static final int MIB = 1 << 20;

  private final SplittableRandom random = new SplittableRandom(SEED);
  private final SecureRandom secure = new SecureRandom();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final PipelineConfig config = PipelineConfig.defaults().withSegmentSize(MIB);
  private final InMemoryMinerDirectory backing = InMemoryMinerDirectory.of(12, 1, 256L * MIB);
  private final AtomicLong bytesServed = new AtomicLong();
  private final MinerDirectory counting =
      new MinerDirectory() {
        @Override
        public List<Candidate> candidates() {
          return backing.candidates();
        }

        @Override
        public FragmentStore store(AccountId miner) {
          return new ForwardingFragmentStore(backing.store(miner)) {
            @Override
            public CompletableFuture<ByteBuffer> get(Hash256 hash, long offset, int length) {
              return super.get(hash, offset, length).thenApply(this::count);
            }

            @Override
            public CompletableFuture<ByteBuffer> get(Hash256 hash) {
              return super.get(hash).thenApply(this::count);
            }

            private ByteBuffer count(ByteBuffer b) {
              bytesServed.addAndGet(b.remaining());
              return b;
            }
          };
        }
      };

  private byte[] data;
  private DataKey key;
  private ObjectManifest manifest;
  private ObjectReader reader;

  @BeforeEach
  void write() throws IOException {
    data = new byte[3 * MIB + 17];
    random.nextBytes(data);
    key = DataKey.generate(secure);
    ObjectWriter writer =
        new ObjectWriter(
            config,
            backing,
            Placement.create(config.dataShards(), config.parityShards(), random.split()),
            secure);
    manifest =
        writer
            .write(
                ObjectId.random(secure), key, new ByteArrayInputStream(data), ProgressListener.NONE)
            .manifest();
    reader = new ObjectReader(counting, scheduler, Duration.ofMillis(50), Runnable::run);
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private byte[] expected(int segment, int from, int length) {
    long start = (long) segment * MIB + from;
    return Arrays.copyOfRange(data, (int) start, (int) start + length);
  }

  @Test
  void readRange_randomRanges_matchTheObject_andFetchOnlyCoveringChunks() throws Exception {
    for (int i = 0; i < 200; i++) {
      int segment = random.nextInt(manifest.segments().size());
      int plain = manifest.segments().get(segment).plainLength();
      int length = Math.min(plain, 1 + random.nextInt(random.nextBoolean() ? 4096 : 200_000));
      int from = random.nextInt(plain - length + 1);
      bytesServed.set(0);
      byte[] got = reader.readRange(manifest, key, segment, from, length).get();
      assertArrayEquals(
          expected(segment, from, length),
          got,
          "seed " + SEED + ", segment " + segment + " [" + from + ", +" + length + ")");
      // The chunks covering the range, plus at most one chunk on each side, plus the header.
      long bound = length + 2L * (64 * 1024 + 16) + 28;
      assertTrue(
          bytesServed.get() <= bound,
          "a " + length + "-byte read fetched " + bytesServed.get() + " bytes (seed " + SEED + ")");
    }
  }

  @Test
  void readRange_ofA4KiBRange_fetchesOneChunkNotTheSegment() throws Exception {
    bytesServed.set(0);
    byte[] got = reader.readRange(manifest, key, 1, 500_000, 4096).get();
    assertArrayEquals(expected(1, 500_000, 4096), got);
    assertTrue(bytesServed.get() < 2 * 64 * 1024 + 100, "fetched " + bytesServed.get());
  }

  @Test
  void readRange_corruptDataFragment_fallsBackToAVerifiedSegmentRead() throws Exception {
    FragmentRef f = manifest.segments().get(0).fragments().get(0);
    for (int at = 0; at < f.length(); at += 997) {
      backing.memoryStore(f.miner()).corrupt(f.hash(), at);
    }
    byte[] got = reader.readRange(manifest, key, 0, 10, 5000).get();
    assertArrayEquals(expected(0, 10, 5000), got);
  }

  @Test
  void readRange_minerOfTheDataFragmentOffline_fallsBackToParity() throws Exception {
    FragmentRef f = manifest.segments().get(2).fragments().get(1);
    int fragmentLength = f.length();
    backing.memoryStore(f.miner()).setOnline(false);
    byte[] got = reader.readRange(manifest, key, 2, fragmentLength + 100, 4096).get();
    assertArrayEquals(expected(2, fragmentLength + 100, 4096), got);
  }

  @Test
  void readRange_outsideTheSegment_failsWithTheRange() {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> reader.readRange(manifest, key, 3, 10, 100).get()); // segment 3 has 17 bytes
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("not inside segment 3"), e.getMessage());
    assertEquals(17, manifest.segments().get(3).plainLength());
  }
}
