package org.deoss.transfer.miner.store;

import static org.deoss.transfer.miner.store.StoreFixtures.await;
import static org.deoss.transfer.miner.store.StoreFixtures.bytes;
import static org.deoss.transfer.miner.store.StoreFixtures.failure;
import static org.deoss.transfer.miner.store.StoreFixtures.getAll;
import static org.deoss.transfer.miner.store.StoreFixtures.idOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pack log behind small fragments: restart, torn tails, damage, collection, concurrency. */
class PackedStoreTest {
  private static final long CAPACITY = 16L << 20;
  private static final Duration GRACE = Duration.ofHours(1);

  @TempDir Path dir;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-24T12:00:00Z"));
  private final SplittableRandom random = new SplittableRandom(42);
  private DiskFragmentStore store;

  @BeforeEach
  void open() throws IOException {
    store = DiskFragmentStore.open(config());
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  private DiskStoreConfig config() {
    return DiskStoreConfig.of(dir.resolve("data"), CAPACITY)
        .withClock(clock)
        .withPackedMaxLength(64 << 10);
  }

  private void reopen() throws IOException {
    store.close();
    store = DiskFragmentStore.open(config());
  }

  private byte[] put(int n) throws Exception {
    byte[] data = bytes(random, n);
    await(store.put(idOf(data), ByteBuffer.wrap(data)));
    return data;
  }

  private Path onlyPack() throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("data/packs"))) {
      List<Path> packs = s.sorted().toList();
      assertEquals(1, packs.size(), packs.toString());
      return packs.get(0);
    }
  }

  private boolean has(byte[] data) throws Exception {
    return await(store.has(idOf(data)));
  }

  @Test
  void put_small_isPackedNotAFile_andReadableAfterRestart() throws Exception {
    byte[] a = put(16 << 10);
    byte[] b = put(1);
    byte[] empty = put(0);
    byte[] big = put((64 << 10) + 1);

    try (Stream<Path> files = Files.walk(dir.resolve("data/fragments"))) {
      assertEquals(1, files.filter(Files::isRegularFile).count(), "only the big one is a file");
    }
    reopen();

    for (byte[] d : List.of(a, b, empty, big)) {
      assertArrayEquals(d, getAll(store, idOf(d)));
    }
    assertEquals(
        new FragmentStore.Stats(4, a.length + 1 + big.length, CAPACITY), await(store.stats()));
    assertEquals(4, store.openReport().fragments());
  }

  @Test
  void get_range_andProve_ofPackedFragment_matchTheBytes() throws Exception {
    byte[] a = put(5000);
    byte[] b = put(3000); // a neighbour in the same pack: ranges must not run into it
    Hash256 id = idOf(a);

    ByteBuffer range = await(store.get(id, 1000, 2000));
    byte[] got = new byte[range.remaining()];
    range.get(got);
    assertArrayEquals(java.util.Arrays.copyOfRange(a, 1000, 3000), got);
    assertEquals(Reason.BAD_RANGE, failure(store.get(id, 4000, 2000)).reason());
    FragmentMerkle.Proof proof = store.prove(id, 4);
    assertEquals(FragmentMerkle.prove(a, 0, a.length, 4), proof);
    assertArrayEquals(b, getAll(store, idOf(b)));
  }

  @Test
  void restart_whenTheLastRecordIsTorn_dropsIt_keepsTheOthers_andAppendsToANewPack()
      throws Exception {
    byte[] a = put(4000);
    byte[] b = put(4000);
    Path pack = onlyPack();
    store.close();
    try (FileChannel ch = FileChannel.open(pack, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 100); // a crash cut the last write short
    }
    store = DiskFragmentStore.open(config());

    assertTrue(has(a));
    assertFalse(has(b), "a torn record is never served");
    byte[] c = put(4000);
    reopen();
    assertArrayEquals(a, getAll(store, idOf(a)));
    assertArrayEquals(c, getAll(store, idOf(c)));
    assertFalse(has(b));
  }

  @Test
  void restart_whenZerosFollowTheLastRecord_ignoresThem() throws Exception {
    byte[] a = put(4000);
    Path pack = onlyPack();
    store.close();
    try (FileChannel ch = FileChannel.open(pack, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(8192), ch.size()); // allocated but never written
    }
    store = DiskFragmentStore.open(config());

    assertArrayEquals(a, getAll(store, idOf(a)));
    assertEquals(1, store.openReport().fragments());
  }

  @Test
  void restart_whenARecordInTheMiddleIsDamaged_dropsOnlyThatFragment() throws Exception {
    byte[] a = put(4000);
    byte[] b = put(4000);
    Path pack = onlyPack();
    store.close();
    try (FileChannel ch =
        FileChannel.open(pack, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, PackLog.HEADER + 10);
      one.put(0, (byte) (one.get(0) ^ 0x40)).rewind();
      ch.write(one, PackLog.HEADER + 10);
    }
    store = DiskFragmentStore.open(config());

    assertFalse(has(a), "damaged: dropped");
    assertArrayEquals(b, getAll(store, idOf(b)));
    assertEquals(1, store.openReport().quarantined());
  }

  @Test
  void put_whenBytesDoNotMatchTheId_failsAndStoresNothing() throws Exception {
    byte[] a = bytes(random, 1000);
    byte[] other = bytes(random, 1000);

    assertEquals(
        Reason.HASH_MISMATCH, failure(store.put(idOf(other), ByteBuffer.wrap(a))).reason());
    assertEquals(new FragmentStore.Stats(0, 0, CAPACITY), await(store.stats()));
    byte[] fits = put((int) Math.min(64 << 10, CAPACITY)); // the reservation was released
    assertTrue(has(fits));
  }

  @Test
  void put_whenCapacityIsFull_failsWithCapacityExceeded() throws Exception {
    store.close();
    store =
        DiskFragmentStore.open(
            DiskStoreConfig.of(dir.resolve("small"), 10_000).withPackedMaxLength(64 << 10));
    put(6000);
    byte[] more = bytes(random, 6000);

    assertEquals(
        Reason.CAPACITY_EXCEEDED, failure(store.put(idOf(more), ByteBuffer.wrap(more))).reason());
  }

  @Test
  void collect_deletesOldUnreferencedPackedFragments_andTheDeleteSurvivesRestart()
      throws Exception {
    byte[] old = put(3000);
    byte[] kept = put(3000);
    clock.advance(Duration.ofMinutes(90));
    byte[] young = put(3000);

    CollectReport r =
        store.collect(idOf(kept)::equals, GRACE, clock.instant().plus(Duration.ofMinutes(1)));

    assertEquals(new CollectReport(3, 1, 3000, 1, 1), r);
    reopen();
    assertFalse(has(old));
    assertTrue(has(kept));
    assertTrue(has(young));
    assertEquals(new FragmentStore.Stats(2, 6000, CAPACITY), await(store.stats()));
  }

  @Test
  void putAgain_restartsTheGracePeriod_alsoAfterRestart() throws Exception {
    byte[] a = put(3000);
    clock.advance(Duration.ofMinutes(50));
    await(store.put(idOf(a), ByteBuffer.wrap(a)));
    clock.advance(Duration.ofMinutes(50));
    reopen();

    CollectReport r = store.collect(h -> false, GRACE, clock.instant());

    assertEquals(0, r.deleted(), "touched 50 minutes ago");
    assertTrue(has(a));
  }

  @Test
  void deleteFragment_ofPacked_isGoneAfterRestart_andCanBePutAgain() throws Exception {
    byte[] a = put(3000);
    assertTrue(store.deleteFragment(idOf(a)));
    assertFalse(store.deleteFragment(idOf(a)));
    reopen();
    assertFalse(has(a));

    put(0); // unrelated
    await(store.put(idOf(a), ByteBuffer.wrap(a)));
    reopen();
    assertArrayEquals(a, getAll(store, idOf(a)));
  }

  @Test
  void verifyFragment_whenPackedBytesChanged_dropsItAndKeepsACopy() throws Exception {
    byte[] a = put(4000);
    try (FileChannel ch = FileChannel.open(onlyPack(), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {(byte) ~a[7]}), PackLog.HEADER + 7);
    }

    assertFalse(store.verifyFragment(idOf(a)));
    assertFalse(has(a));
    try (Stream<Path> q = Files.list(dir.resolve("data/quarantine"))) {
      assertEquals(1, q.count());
    }
    assertEquals(new FragmentStore.Stats(0, 0, CAPACITY), await(store.stats()));
  }

  @Test
  void concurrentPuts_fromManyThreads_allDurableAndReadableAfterRestart() throws Exception {
    long seed = new SplittableRandom().nextLong();
    SplittableRandom r = new SplittableRandom(seed);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    Map<Hash256, byte[]> stored = new ConcurrentHashMap<>();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        byte[] d = bytes(r, r.nextInt(0, 20_000));
        done.add(
            pool.submit(
                () -> {
                  await(store.put(idOf(d), ByteBuffer.wrap(d)));
                  stored.put(idOf(d), d);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    reopen();
    long bytes = stored.values().stream().mapToLong(d -> d.length).sum();
    assertEquals(
        new FragmentStore.Stats(stored.size(), bytes, CAPACITY),
        await(store.stats()),
        "seed " + seed);
    for (var e : stored.entrySet()) {
      assertArrayEquals(e.getValue(), getAll(store, e.getKey()), "seed " + seed);
    }
  }

  @Test
  void packLog_removesASealedPackOnceAllItsFragmentsAreDeleted() throws Exception {
    Path packs = dir.resolve("log");
    try (PackLog log = PackLog.open(packs, 10_000, false)) {
      List<Hash256> first = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        byte[] d = bytes(random, 3000);
        log.put(idOf(d), ByteBuffer.wrap(d), 0);
        first.add(idOf(d));
      }
      byte[] later = bytes(random, 3000); // does not fit: seals pack 1, starts pack 2
      log.put(idOf(later), ByteBuffer.wrap(later), 0);
      assertTrue(Files.exists(packs.resolve("00000001.pack")));

      for (Hash256 id : first) {
        log.delete(id);
      }

      assertFalse(Files.exists(packs.resolve("00000001.pack")));
      assertTrue(Files.exists(packs.resolve("00000002.pack")));
    }
    try (PackLog log = PackLog.open(packs, 10_000, false)) {
      assertEquals(1, log.entries().size());
    }
  }

  @Test
  void packLog_keepsAnEmptyPackWhileItsDeletesKillFragmentsOfAnOlderPack() throws Exception {
    Path packs = dir.resolve("log");
    Hash256 killed;
    try (PackLog log = PackLog.open(packs, 10_000, false)) {
      byte[] a = bytes(random, 3000);
      byte[] b = bytes(random, 3000);
      log.put(idOf(a), ByteBuffer.wrap(a), 0);
      log.put(idOf(b), ByteBuffer.wrap(b), 0); // keeps pack 1 alive
      killed = idOf(a);
      byte[] c = bytes(random, 3000);
      log.put(idOf(c), ByteBuffer.wrap(c), 0);
      byte[] d = bytes(random, 3000); // seals pack 1; pack 2 holds d
      log.put(idOf(d), ByteBuffer.wrap(d), 0);
      log.delete(killed); // its DELETE goes to pack 2
      log.delete(idOf(d));
      byte[] e = bytes(random, 9000); // seals pack 2, now without a live fragment
      log.put(idOf(e), ByteBuffer.wrap(e), 0);

      assertTrue(Files.exists(packs.resolve("00000002.pack")), "pack 2 holds the delete of a");
    }
    try (PackLog log = PackLog.open(packs, 10_000, false)) {
      assertEquals(null, log.get(killed), "a deleted fragment never comes back");
      assertEquals(3, log.entries().size());
    }
  }

  @Test
  void packLog_whenAFlushFails_failsThePut_andLaterPutsGoToANewPack() throws Exception {
    Path packs = dir.resolve("log");
    java.util.concurrent.atomic.AtomicBoolean fail =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    PackLog.Flush flaky =
        ch -> {
          if (fail.getAndSet(false)) {
            throw new IOException("injected: EIO on fdatasync");
          }
          ch.force(false);
        };
    byte[] later = bytes(random, 3000);
    try (PackLog log = PackLog.open(packs, 1 << 20, false, flaky)) {
      byte[] lost = bytes(random, 3000);
      org.junit.jupiter.api.Assertions.assertThrows(
          IOException.class, () -> log.put(idOf(lost), ByteBuffer.wrap(lost), 0));
      assertEquals(null, log.get(idOf(lost)), "never acknowledged, never indexed");

      log.put(idOf(later), ByteBuffer.wrap(later), 0);

      assertEquals(2, log.get(idOf(later)).pack().seq, "after a failed flush: a new pack");
    }
    try (PackLog log = PackLog.open(packs, 1 << 20, false)) {
      assertTrue(log.get(idOf(later)) != null);
    }
  }
}
