package org.deoss.transfer.miner.store;

import static org.deoss.transfer.miner.store.StoreFixtures.await;
import static org.deoss.transfer.miner.store.StoreFixtures.bytes;
import static org.deoss.transfer.miner.store.StoreFixtures.dataFiles;
import static org.deoss.transfer.miner.store.StoreFixtures.idOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.SplittableRandom;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectTest {
  private static final long CAPACITY = 1L << 20;
  private static final Duration GRACE = Duration.ofHours(1);

  @TempDir Path dir;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-24T12:00:00Z"));
  private final SplittableRandom random = new SplittableRandom(99);
  private DiskFragmentStore store;

  @BeforeEach
  void open() throws IOException {
    store = DiskFragmentStore.open(config());
  }

  private DiskStoreConfig config() {
    return DiskStoreConfig.of(dir.resolve("data"), CAPACITY).withClock(clock);
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  private Hash256 put(int n) throws Exception {
    byte[] data = bytes(random, n);
    Hash256 id = idOf(data);
    await(store.put(id, ByteBuffer.wrap(data)));
    return id;
  }

  @Test
  void collect_deletesUnreferencedOldFragments_keepsReferencedAndYoung() throws Exception {
    Hash256 referencedOld = put(100);
    Hash256 orphanOld = put(200);
    Hash256 orphanOld2 = put(300);
    clock.advance(Duration.ofMinutes(90));
    Hash256 orphanYoung = put(400);
    clock.advance(Duration.ofMinutes(10));

    CollectReport report = store.collect(Set.of(referencedOld)::contains, GRACE, clock.instant());

    assertEquals(new CollectReport(4, 2, 500, 1, 1), report);
    assertTrue(await(store.has(referencedOld)));
    assertTrue(await(store.has(orphanYoung)));
    assertFalse(await(store.has(orphanOld)));
    assertFalse(await(store.has(orphanOld2)));
    assertEquals(new FragmentStore.Stats(2, 500, CAPACITY), await(store.stats()));
    assertEquals(2, dataFiles(dir.resolve("data")).size());
  }

  @Test
  void collect_neverDeletesWithinGrace_evenAtItsLastInstant() throws Exception {
    Hash256 id = put(100);
    Instant stored = clock.instant();
    CollectReport justBefore = store.collect(h -> false, GRACE, stored.plus(GRACE).minusNanos(1));
    assertEquals(new CollectReport(1, 0, 0, 0, 1), justBefore);
    assertTrue(await(store.has(id)));
    CollectReport atGrace = store.collect(h -> false, GRACE, stored.plus(GRACE));
    assertEquals(1, atGrace.deleted());
  }

  @Test
  void putAgain_ofAnOldUnreferencedFragment_restartsItsGracePeriod() throws Exception {
    byte[] data = bytes(random, 1000);
    Hash256 id = idOf(data);
    await(store.put(id, ByteBuffer.wrap(data)));
    clock.advance(Duration.ofHours(5));
    await(store.put(id, ByteBuffer.wrap(data)));
    clock.advance(Duration.ofMinutes(30));
    assertEquals(1, store.collect(h -> false, GRACE, clock.instant()).keptYoung());
    assertTrue(await(store.has(id)));
  }

  @Test
  void ages_surviveRestart() throws Exception {
    Hash256 old = put(100);
    clock.advance(Duration.ofHours(2));
    Hash256 young = put(100);
    store.close();
    store = DiskFragmentStore.open(config());
    CollectReport report = store.collect(h -> false, GRACE, clock.instant());
    assertEquals(new CollectReport(2, 1, 100, 0, 1), report);
    assertFalse(await(store.has(old)));
    assertTrue(await(store.has(young)));
  }

  @Test
  void collect_rejectsNegativeGrace() {
    assertThrows(
        IllegalArgumentException.class,
        () -> store.collect(h -> false, Duration.ofSeconds(-1), clock.instant()));
  }
}
