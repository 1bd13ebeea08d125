package org.deoss.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.deoss.core.account.AccountId;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.hash.Hash256;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.manifest.SegmentRef;
import org.deoss.core.placement.Candidate;
import org.deoss.core.placement.Placement;
import org.deoss.core.port.ForwardingFragmentStore;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.InMemoryMinerDirectory;
import org.deoss.core.port.MinerDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ObjectPipelineTest {
  private static final long SEED = 20261124L;
  private static final int MIB = 1 << 20;

  private final SplittableRandom random = new SplittableRandom(SEED);
  private final SecureRandom secure = new SecureRandom();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final PipelineConfig config = PipelineConfig.defaults().withSegmentSize(MIB);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private ObjectWriter writer(MinerDirectory miners, PipelineConfig cfg) {
    return new ObjectWriter(
        cfg,
        miners,
        Placement.create(cfg.dataShards(), cfg.parityShards(), random.split()),
        secure);
  }

  private ObjectReader reader(MinerDirectory miners, Duration hedge) {
    return new ObjectReader(miners, scheduler, hedge, Runnable::run);
  }

  private WriteResult write(MinerDirectory miners, DataKey key, byte[] data) throws IOException {
    return writer(miners, config)
        .write(ObjectId.random(secure), key, new ByteArrayInputStream(data), ProgressListener.NONE);
  }

  private static byte[] readAll(ObjectReader reader, WriteResult w, DataKey key)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    reader.readAll(w.manifest(), key, out, ProgressListener.NONE);
    return out.toByteArray();
  }

  @Test
  void writeThenRead_sizesAroundSegmentBoundaries_roundTrip() throws IOException {
    InMemoryMinerDirectory miners = InMemoryMinerDirectory.of(12, 3, 256L * MIB);
    int[] sizes = {0, 1, MIB - 1, MIB, MIB + 1, 3 * MIB + 17};
    for (int size : sizes) {
      byte[] data = bytes(size);
      DataKey key = DataKey.generate(secure);
      WriteResult w = write(miners, key, data);
      ObjectManifest m = w.manifest();
      assertEquals(size, m.size());
      assertEquals(ObjectManifest.segmentCount(size, MIB), m.segments().size());
      assertTrue(w.missing().isEmpty());
      assertArrayEquals(data, readAll(reader(miners, Duration.ZERO), w, key), "size " + size);
    }
  }

  @Test
  void write_lastSegmentIsNotPadded() throws IOException {
    InMemoryMinerDirectory miners = InMemoryMinerDirectory.of(12, 1, 64L * MIB);
    WriteResult w = write(miners, DataKey.generate(secure), new byte[1]);
    SegmentRef only = w.manifest().segments().get(0);
    assertEquals(1, only.plainLength());
    // A 1-byte object costs a few hundred bytes of fragments, not 12 x 8 MiB.
    assertTrue(w.manifest().storedBytes() < 12 * 1024, "stored " + w.manifest().storedBytes());
  }

  @Test
  void write_placesTwelveFragmentsOfASegmentOnTwelveMiners() throws IOException {
    InMemoryMinerDirectory miners = InMemoryMinerDirectory.of(16, 4, 64L * MIB);
    WriteResult w = write(miners, DataKey.generate(secure), bytes(2 * MIB));
    for (SegmentRef s : w.manifest().segments()) {
      Set<AccountId> holders = new HashSet<>();
      s.fragments().forEach(f -> holders.add(f.miner()));
      assertEquals(12, holders.size());
    }
  }

  @Test
  void read_withEightOfTwelveMinersOffline_returnsEveryByte() throws IOException {
    InMemoryMinerDirectory miners = InMemoryMinerDirectory.of(12, 1, 256L * MIB);
    byte[] data = bytes(5 * MIB + 3);
    DataKey key = DataKey.generate(secure);
    WriteResult w = write(miners, key, data);
    List<AccountId> all = miners.miners();
    for (int round = 0; round < 5; round++) {
      List<AccountId> shuffled = new ArrayList<>(all);
      for (int i = shuffled.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        AccountId t = shuffled.get(i);
        shuffled.set(i, shuffled.get(j));
        shuffled.set(j, t);
      }
      all.forEach(m -> miners.memoryStore(m).setOnline(true));
      shuffled.subList(0, 8).forEach(m -> miners.memoryStore(m).setOnline(false));
      assertArrayEquals(
          data, readAll(reader(miners, Duration.ZERO), w, key), "seed " + SEED + " round " + round);
    }
  }

  @Test
  void read_withNineOfTwelveOffline_failsNamingTheSegmentAndFragments() throws IOException {
    InMemoryMinerDirectory miners = InMemoryMinerDirectory.of(12, 1, 64L * MIB);
    DataKey key = DataKey.generate(secure);
    WriteResult w = write(miners, key, bytes(1000));
    miners.miners().subList(0, 9).forEach(m -> miners.memoryStore(m).setOnline(false));
    ObjectReadException e =
        assertThrows(
            ObjectReadException.class, () -> readAll(reader(miners, Duration.ZERO), w, key));
    assertTrue(e.getMessage().contains("segment 0"), e.getMessage());
    assertTrue(e.getMessage().contains("only 3 of the 4"), e.getMessage());
  }

  @Test
  void read_whenTheLastAnswersAreHealthyButTooFew_failsInsteadOfHanging() throws IOException {
    InMemoryMinerDirectory miners = InMemoryMinerDirectory.of(12, 1, 64L * MIB);
    DataKey key = DataKey.generate(secure);
    WriteResult w = write(miners, key, bytes(1000));
    // Only fragments 3, 10 and 11 can be read. The stores answer at once, so the requests go:
    // 0 fails (4..9 fail, 10 succeeds), 1 fails (11 succeeds), 2 fails, and the very last answer,
    // for fragment 3, is a success with only three healthy fragments and nothing left to ask.
    Set<AccountId> healthy = new HashSet<>();
    for (int i : new int[] {3, 10, 11}) {
      healthy.add(w.manifest().segments().get(0).fragments().get(i).miner());
    }
    miners.miners().stream()
        .filter(m -> !healthy.contains(m))
        .forEach(m -> miners.memoryStore(m).setOnline(false));
    ObjectReadException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () ->
                assertThrows(
                    ObjectReadException.class,
                    () -> readAll(reader(miners, Duration.ZERO), w, key)));
    assertTrue(e.getMessage().contains("only 3 of the 4"), e.getMessage());
  }

  @Test
  void read_corruptDataFragment_isDetectedAndReadFromParity() throws IOException {
    InMemoryMinerDirectory miners = InMemoryMinerDirectory.of(12, 1, 64L * MIB);
    byte[] data = bytes(MIB + 5000);
    DataKey key = DataKey.generate(secure);
    WriteResult w = write(miners, key, data);
    for (SegmentRef s : w.manifest().segments()) {
      FragmentRef f = s.fragments().get(1);
      miners.memoryStore(f.miner()).corrupt(f.hash(), 17);
    }
    assertArrayEquals(data, readAll(reader(miners, Duration.ZERO), w, key));
  }

  @Test
  void read_rangesMatchTheSource() throws IOException {
    InMemoryMinerDirectory miners = InMemoryMinerDirectory.of(12, 1, 256L * MIB);
    byte[] data = bytes(4 * MIB + 777);
    DataKey key = DataKey.generate(secure);
    WriteResult w = write(miners, key, data);
    ObjectReader reader = reader(miners, Duration.ZERO);
    for (int i = 0; i < 30; i++) {
      int from = random.nextInt(data.length);
      int len = random.nextInt(Math.min(data.length - from, 2 * MIB + 10) + 1);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      reader.read(w.manifest(), key, from, len, out, ProgressListener.NONE);
      byte[] expected = new byte[len];
      System.arraycopy(data, from, expected, 0, len);
      assertArrayEquals(expected, out.toByteArray(), "seed " + SEED + " range " + from + "+" + len);
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            reader.read(
                w.manifest(),
                key,
                data.length - 1,
                2,
                new ByteArrayOutputStream(),
                ProgressListener.NONE));
  }

  @Test
  void read_hungMiner_isHedgedToParity() throws Exception {
    InMemoryMinerDirectory backing = InMemoryMinerDirectory.of(12, 1, 64L * MIB);
    byte[] data = bytes(300_000);
    DataKey key = DataKey.generate(secure);
    WriteResult w = write(backing, key, data);
    AccountId hung = w.manifest().segments().get(0).fragments().get(0).miner();
    MinerDirectory withHungMiner =
        new Wrapped(backing) {
          @Override
          public FragmentStore store(AccountId miner) {
            FragmentStore s = backing.store(miner);
            return miner.equals(hung) ? new HangingGets(s) : s;
          }
        };
    byte[] got = readAll(reader(withHungMiner, Duration.ofMillis(5)), w, key);
    assertArrayEquals(data, got);
  }

  @Test
  void write_minerRefusingPuts_isReplacedByAnother() throws IOException {
    InMemoryMinerDirectory backing = InMemoryMinerDirectory.of(14, 1, 64L * MIB);
    Set<AccountId> refusing = new HashSet<>(backing.miners().subList(0, 2));
    MinerDirectory miners =
        new Wrapped(backing) {
          @Override
          public FragmentStore store(AccountId miner) {
            FragmentStore s = backing.store(miner);
            return refusing.contains(miner) ? new RefusingPuts(s) : s;
          }
        };
    byte[] data = bytes(2 * MIB);
    DataKey key = DataKey.generate(secure);
    WriteResult w = write(miners, key, data);
    assertTrue(w.missing().isEmpty());
    for (SegmentRef s : w.manifest().segments()) {
      for (FragmentRef f : s.fragments()) {
        assertTrue(!refusing.contains(f.miner()), "fragment recorded on a refusing miner");
      }
    }
    assertArrayEquals(data, readAll(reader(miners, Duration.ZERO), w, key));
  }

  @Test
  void write_tooFewMinersAccepting_failsNamingTheShortfall() {
    InMemoryMinerDirectory backing = InMemoryMinerDirectory.of(12, 1, 64L * MIB);
    Set<AccountId> refusing = new HashSet<>(backing.miners().subList(0, 9));
    MinerDirectory miners =
        new Wrapped(backing) {
          @Override
          public FragmentStore store(AccountId miner) {
            FragmentStore s = backing.store(miner);
            return refusing.contains(miner) ? new RefusingPuts(s) : s;
          }
        };
    // One miner per fragment and no second attempt: nine fragments cannot be stored.
    PipelineConfig oneAttempt = new PipelineConfig(MIB, 4, 8, 64 << 10, 12, 1, Duration.ZERO, 1);
    ObjectWriteException e =
        assertThrows(
            ObjectWriteException.class,
            () ->
                writer(miners, oneAttempt)
                    .write(
                        ObjectId.random(secure),
                        DataKey.generate(secure),
                        new ByteArrayInputStream(bytes(1000)),
                        ProgressListener.NONE));
    assertTrue(e.getMessage().contains("segment 0"), e.getMessage());
    assertTrue(e.getMessage().contains("stored 3 of 12"), e.getMessage());
    assertTrue(e.getMessage().contains("disk failed"), e.getMessage());
  }

  @Test
  void read_wrongKey_failsAuthentication() throws IOException {
    InMemoryMinerDirectory miners = InMemoryMinerDirectory.of(12, 1, 64L * MIB);
    WriteResult w = write(miners, DataKey.generate(secure), bytes(10_000));
    ObjectReadException e =
        assertThrows(
            ObjectReadException.class,
            () -> readAll(reader(miners, Duration.ZERO), w, DataKey.generate(secure)));
    assertTrue(e.getMessage().contains("authentication"), e.getMessage());
  }

  @Test
  void write_sameContentTwice_differentCiphertextAndFid() throws IOException {
    InMemoryMinerDirectory miners = InMemoryMinerDirectory.of(12, 1, 64L * MIB);
    byte[] data = bytes(5000);
    DataKey key = DataKey.generate(secure);
    ObjectId id = ObjectId.random(secure);
    Hash256 a =
        writer(miners, config)
            .write(id, key, new ByteArrayInputStream(data), ProgressListener.NONE)
            .manifest()
            .fid();
    Hash256 b =
        writer(miners, config)
            .write(id, key, new ByteArrayInputStream(data), ProgressListener.NONE)
            .manifest()
            .fid();
    assertNotEquals(a, b, "re-encrypting a segment must never reuse a nonce");
  }

  /** Delegates candidates to another directory. */
  private abstract static class Wrapped implements MinerDirectory {
    private final MinerDirectory inner;

    Wrapped(MinerDirectory inner) {
      this.inner = inner;
    }

    @Override
    public List<Candidate> candidates() {
      return inner.candidates();
    }
  }

  private static final class HangingGets extends ForwardingFragmentStore {
    HangingGets(FragmentStore inner) {
      super(inner);
    }

    @Override
    public CompletableFuture<ByteBuffer> get(Hash256 hash) {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<ByteBuffer> get(Hash256 hash, long offset, int length) {
      return new CompletableFuture<>();
    }
  }

  private static final class RefusingPuts extends ForwardingFragmentStore {
    RefusingPuts(FragmentStore inner) {
      super(inner);
    }

    @Override
    public CompletableFuture<Void> put(Hash256 hash, ByteBuffer data) {
      return CompletableFuture.failedFuture(
          new FragmentStoreException(FragmentStoreException.Reason.IO, hash, "disk failed"));
    }
  }
}
