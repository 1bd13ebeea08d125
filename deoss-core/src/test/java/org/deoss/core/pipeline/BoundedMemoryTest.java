package org.deoss.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.deoss.core.account.AccountId;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.hash.Hash256;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.placement.Candidate;
import org.deoss.core.placement.Placement;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.MinerDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A large object streams through the writer with a bounded number of segments in memory: however
 * slowly miners acknowledge, at most {@code segmentsInFlight + 1} segments have fragments on the
 * way, and the source is read only as fast as segments are stored.
 */
class BoundedMemoryTest {
  private static final int MIB = 1 << 20;
  private final ExecutorService acks = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    acks.shutdownNow();
  }

  @Test
  void write_largeObject_keepsAtMostInFlightPlusOneSegmentsOutstanding() throws IOException {
    PipelineConfig config = PipelineConfig.defaults().withSegmentSize(MIB);
    AtomicInteger outstanding = new AtomicInteger();
    AtomicInteger maxOutstanding = new AtomicInteger();
    AtomicLong storedBytes = new AtomicLong();
    FragmentStore slowMiner =
        new FragmentStore() {
          @Override
          public CompletableFuture<Void> put(Hash256 hash, ByteBuffer data) {
            int now = outstanding.incrementAndGet();
            maxOutstanding.accumulateAndGet(now, Math::max);
            int length = data.remaining();
            // Acknowledged later, on another thread, in arrival order, and more slowly than the
            // writer encodes (a slow disk): a writer without a bound would pile up puts here.
            return CompletableFuture.runAsync(
                () -> {
                  LockSupport.parkNanos(1_000_000);
                  storedBytes.addAndGet(length);
                  outstanding.decrementAndGet();
                },
                acks);
          }

          @Override
          public CompletableFuture<ByteBuffer> get(Hash256 hash, long offset, int length) {
            throw new UnsupportedOperationException();
          }

          @Override
          public CompletableFuture<ByteBuffer> get(Hash256 hash) {
            throw new UnsupportedOperationException();
          }

          @Override
          public CompletableFuture<Boolean> has(Hash256 hash) {
            throw new UnsupportedOperationException();
          }

          @Override
          public CompletableFuture<Boolean> delete(Hash256 hash) {
            throw new UnsupportedOperationException();
          }

          @Override
          public CompletableFuture<Stats> stats() {
            return CompletableFuture.completedFuture(new Stats(0, 0, Long.MAX_VALUE));
          }
        };
    List<Candidate> candidates =
        java.util.stream.IntStream.range(0, 12)
            .mapToObj(i -> new Candidate(miner(i), "z", Long.MAX_VALUE / 2))
            .toList();
    MinerDirectory miners =
        new MinerDirectory() {
          @Override
          public List<Candidate> candidates() {
            return candidates;
          }

          @Override
          public FragmentStore store(AccountId miner) {
            return slowMiner;
          }
        };
    long size = 48L * MIB + 12345;
    SecureRandom secure = new SecureRandom();
    WriteResult w =
        new ObjectWriter(config, miners, Placement.create(4, 8, new SplittableRandom(3)), secure)
            .write(
                ObjectId.random(secure),
                DataKey.generate(secure),
                new PatternStream(size),
                ProgressListener.NONE);
    assertEquals(size, w.manifest().size());
    assertEquals(49, w.manifest().segments().size());
    int bound = config.totalShards() * (config.segmentsInFlight() + 1);
    assertTrue(
        maxOutstanding.get() <= bound,
        "at most " + bound + " fragment puts may be outstanding, saw " + maxOutstanding.get());
    assertEquals(w.manifest().storedBytes(), storedBytes.get());
  }

  @Test
  void write_smallObject_allocatesForItsSizeNotForAWholeSegment() throws IOException {
    // 32 MiB segments: a whole-segment workspace would be 32 MiB of plaintext, a 32 MiB
    // encryption buffer and 12 shards of 8 MiB. A 64 KiB object must cost a few hundred KiB.
    PipelineConfig config = PipelineConfig.defaults();
    org.deoss.core.port.InMemoryMinerDirectory miners =
        org.deoss.core.port.InMemoryMinerDirectory.of(12, 1, 64L * MIB);
    SecureRandom secure = new SecureRandom();
    ObjectWriter writer =
        new ObjectWriter(config, miners, Placement.create(4, 8, new SplittableRandom(5)), secure);
    byte[] data = new byte[64 << 10];
    writer.write(
        ObjectId.random(secure),
        DataKey.generate(secure),
        new java.io.ByteArrayInputStream(data),
        ProgressListener.NONE); // warm up class loading
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    writer.write(
        ObjectId.random(secure),
        DataKey.generate(secure),
        new java.io.ByteArrayInputStream(data),
        ProgressListener.NONE);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(
        allocated < 8L * MIB,
        "a 64 KiB write allocated " + allocated / 1024 + " KiB on the writing thread");
  }

  private static AccountId miner(int i) {
    byte[] key = new byte[32];
    key[0] = (byte) i;
    return AccountId.of(key);
  }

  /** A generated stream of {@code size} bytes that holds nothing in memory. */
  private static final class PatternStream extends InputStream {
    private final long size;
    private long position;

    PatternStream(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      return position < size ? (int) (position++ * 31 & 0xFF) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - position);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) ((position + i) * 31);
      }
      position += n;
      return n;
    }
  }
}
