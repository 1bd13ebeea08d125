package org.deoss.transfer.miner.store;

import static org.deoss.transfer.miner.store.StoreFixtures.await;
import static org.deoss.transfer.miner.store.StoreFixtures.dataFiles;
import static org.deoss.transfer.miner.store.StoreFixtures.idOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads put, abort, fail and delete at once against a small capacity: the stored bytes never
 * exceed it, and when all is done the counters match the files on disk.
 */
class CapacityConcurrencyTest {
  private static final long SEED = 0x5eed_cafeL;
  private static final long CAPACITY = 512 * 1024;
  private static final int THREADS = 8;
  private static final int OPS_PER_THREAD = 60;

  @TempDir Path dir;

  @Test
  void concurrentPuts_neverExceedCapacity_andCountersMatchDisk() throws Exception {
    Path root = dir.resolve("data");
    try (DiskFragmentStore store = DiskFragmentStore.open(DiskStoreConfig.of(root, CAPACITY))) {
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger committed = new AtomicInteger();
      ConcurrentHashMap<Hash256, Integer> held = new ConcurrentHashMap<>();
      AtomicReference<String> firstViolation = new AtomicReference<>();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          SplittableRandom random = new SplittableRandom(SEED + t);
          workers.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int op = 0; op < OPS_PER_THREAD; op++) {
                      step(store, random, held, refused, committed);
                      FragmentStore.Stats s = await(store.stats());
                      if (s.usedBytes() > CAPACITY) {
                        firstViolation.compareAndSet(
                            null, "used " + s.usedBytes() + " of " + CAPACITY + " after op " + op);
                      }
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> w : workers) {
          w.get();
        }
      } finally {
        pool.shutdownNow();
      }
      String seed = "seed " + SEED;
      assertNull(firstViolation.get(), seed);
      assertTrue(refused.get() > 0, "the capacity was never reached; " + seed);
      assertTrue(committed.get() > 0, seed);

      long onDisk = 0;
      for (Path p : dataFiles(root)) {
        onDisk += Files.size(p);
      }
      FragmentStore.Stats stats = await(store.stats());
      assertEquals(onDisk, stats.usedBytes(), seed);
      assertEquals(dataFiles(root).size(), stats.fragments(), seed);
      assertEquals(held.values().stream().mapToLong(Integer::longValue).sum(), onDisk, seed);
      // every reservation came back: the rest of the capacity can be reserved in one go
      store.begin(Hash256.ZERO, CAPACITY - stats.usedBytes()).abort();
    }
  }

  /** One random operation: a put (committed, aborted or with a wrong id) or a delete. */
  private static void step(
      DiskFragmentStore store,
      SplittableRandom random,
      ConcurrentHashMap<Hash256, Integer> held,
      AtomicInteger refused,
      AtomicInteger committed) {
    int kind = random.nextInt(10);
    if (kind == 0 && !held.isEmpty()) {
      Hash256 victim = held.keySet().iterator().next();
      synchronized (held) {
        if (held.remove(victim) != null) {
          store.deleteFragment(victim);
        }
      }
      return;
    }
    byte[] data = new byte[1 + random.nextInt(48 * 1024)];
    random.nextBytes(data);
    Hash256 id = kind == 1 ? idOf(new byte[] {(byte) random.nextInt()}) : idOf(data);
    try (PutSession s = store.begin(id, data.length)) {
      int half = data.length / 2;
      s.write(ByteBuffer.wrap(data, 0, half));
      if (kind == 2) {
        s.abort();
        return;
      }
      s.write(ByteBuffer.wrap(data, half, data.length - half));
      s.commit();
      held.put(id, data.length);
      committed.incrementAndGet();
    } catch (FragmentStoreException e) {
      if (e.reason() == Reason.CAPACITY_EXCEEDED) {
        refused.incrementAndGet();
      } else if (!(kind == 1 && e.reason() == Reason.HASH_MISMATCH)) {
        throw e;
      }
    }
  }
}
