package org.deoss.transfer.miner.store;

import static org.deoss.transfer.miner.store.StoreFixtures.await;
import static org.deoss.transfer.miner.store.StoreFixtures.bytes;
import static org.deoss.transfer.miner.store.StoreFixtures.dataFiles;
import static org.deoss.transfer.miner.store.StoreFixtures.failure;
import static org.deoss.transfer.miner.store.StoreFixtures.idOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A put is acknowledged only once durable: its file forced, then renamed, then its directory forced
 * after the rename, and a directory it made forced in its parent; a put whose directory cannot be
 * forced fails and leaves nothing.
 */
class DurableInstallTest {
  private static final long SEED = 0x6c0ff_eeL;
  private static final long CAPACITY = 64L << 20;

  @TempDir Path dir;
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** Real disk operations that log what they did, in order. */
  private static class Recording implements DiskOps {
    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void force(Path temp, FileChannel channel) throws IOException {
      DiskOps.REAL.force(temp, channel);
      log.add("force " + temp.getFileName());
    }

    @Override
    public void rename(Path temp, Path target) throws IOException {
      DiskOps.REAL.rename(temp, target);
      log.add("rename " + temp.getFileName() + " " + target);
    }

    @Override
    public void syncDirectory(Path d) throws IOException {
      DiskOps.REAL.syncDirectory(d);
      log.add("sync " + d);
    }

    List<String> snapshot() {
      synchronized (log) {
        return new ArrayList<>(log);
      }
    }
  }

  /** The log index of the first entry at or after {@code from} starting with {@code prefix}. */
  private static int find(List<String> log, String prefix, int from) {
    for (int i = Math.max(0, from); i < log.size(); i++) {
      if (log.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  /** The log index of the first entry at or after {@code from} equal to {@code entry}. */
  private static int findExact(List<String> log, String entry, int from) {
    for (int i = Math.max(0, from); i < log.size(); i++) {
      if (log.get(i).equals(entry)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void concurrentPuts_areEachAcknowledgedOnlyAfterForceRenameAndDirectorySyncInThatOrder()
      throws Exception {
    Recording ops = new Recording();
    Path root = dir.resolve("data");
    try (DiskFragmentStore store =
        DiskFragmentStore.open(
            DiskStoreConfig.of(root, CAPACITY), DiskFragmentStore.WriteFault.NONE, ops)) {
      List<Future<String>> checks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        SplittableRandom random = new SplittableRandom(SEED + t);
        checks.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 40; i++) {
                    byte[] data = bytes(random, 1 + random.nextInt(20_000));
                    Hash256 id = idOf(data);
                    await(store.put(id, ByteBuffer.wrap(data)));
                    List<String> log = ops.snapshot(); // what had happened when it was acked
                    Path target = root.resolve("fragments").resolve(id.toHex().substring(0, 2));
                    target = target.resolve(id.toHex().substring(2, 4)).resolve(id.toHex());
                    int forced = find(log, "force " + id.toHex() + ".", 0);
                    int renamed = find(log, "rename " + id.toHex() + ".", 0);
                    int synced = findExact(log, "sync " + target.getParent(), renamed + 1);
                    if (forced < 0 || renamed < forced || synced < renamed) {
                      return "seed "
                          + SEED
                          + ": "
                          + id
                          + " acknowledged with force at "
                          + forced
                          + ", rename at "
                          + renamed
                          + ", directory sync after the rename at "
                          + synced;
                    }
                    if (!log.get(renamed).endsWith(" " + target)) {
                      return "renamed elsewhere: " + log.get(renamed);
                    }
                    // the leaf directory was made just before the first rename into it: its
                    // entry in the first-level directory must have been forced after that
                    Path leaf = target.getParent();
                    int made = -1;
                    for (int k = 0; k < log.size() && made < 0; k++) {
                      if (log.get(k).startsWith("rename ")
                          && log.get(k).contains(" " + leaf + "/")) {
                        made = k;
                      }
                    }
                    if (findExact(log, "sync " + leaf.getParent(), made + 1) < 0) {
                      return "seed "
                          + SEED
                          + ": "
                          + id
                          + " acknowledged before "
                          + leaf
                          + " was forced in its parent";
                    }
                  }
                  return null;
                }));
      }
      for (Future<String> f : checks) {
        String problem = f.get(60, TimeUnit.SECONDS);
        assertEquals(null, problem);
      }
      assertEquals(8 * 40, await(store.stats()).fragments());
    }
  }

  @Test
  void put_whenItsDirectoryCannotBeForced_failsAndOthersAreHeld() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    byte[] doomed = bytes(random, 6000);
    byte[] other = bytes(random, 7000);
    Path root = dir.resolve("data");
    Path fragments = root.resolve("fragments");
    Path doomedDir = dirOf(fragments, idOf(doomed));
    assertNotEquals(doomedDir, dirOf(fragments, idOf(other)), "seed " + SEED);
    DiskOps ops =
        new Recording() {
          @Override
          public void syncDirectory(Path d) throws IOException {
            if (d.equals(doomedDir)) {
              throw new IOException("injected: cannot force " + d);
            }
            super.syncDirectory(d);
          }
        };
    try (DiskFragmentStore store =
        DiskFragmentStore.open(
            DiskStoreConfig.of(root, CAPACITY), DiskFragmentStore.WriteFault.NONE, ops)) {
      CompletableFuture<Void> b = putAsync(store, doomed);
      CompletableFuture<Void> c = putAsync(store, other);
      await(c);
      assertEquals(Reason.IO, failure(b).reason());
      assertFalse(await(store.has(idOf(doomed))));
      assertTrue(await(store.has(idOf(other))));
      assertEquals(
          List.of(pathOf(fragments, idOf(other))),
          dataFiles(root),
          "nothing of the failed put is left, in place or in tmp/");
      assertEquals(other.length, await(store.stats()).usedBytes());
    }
  }

  @Test
  void put_whenANewDirectoryCannotBeForcedInItsParent_failsAndTheNextPutThereForcesItAgain()
      throws Exception {
    SplittableRandom random = new SplittableRandom(SEED + 99);
    byte[] data = bytes(random, 3000);
    Path root = dir.resolve("data");
    Path leaf = dirOf(root.resolve("fragments"), idOf(data));
    boolean[] failParent = {true};
    Recording ops =
        new Recording() {
          @Override
          public void syncDirectory(Path d) throws IOException {
            if (d.equals(leaf.getParent()) && failParent[0]) {
              throw new IOException("injected: cannot force " + d);
            }
            super.syncDirectory(d);
          }
        };
    try (DiskFragmentStore store =
        DiskFragmentStore.open(
            DiskStoreConfig.of(root, CAPACITY), DiskFragmentStore.WriteFault.NONE, ops)) {
      assertEquals(Reason.IO, failure(store.put(idOf(data), ByteBuffer.wrap(data))).reason());
      assertFalse(await(store.has(idOf(data))));
      assertEquals(List.of(), dataFiles(root));
      failParent[0] = false;
      await(store.put(idOf(data), ByteBuffer.wrap(data)));
      assertTrue(await(store.has(idOf(data))));
      List<String> log = ops.snapshot();
      int renamed = find(log, "rename " + idOf(data).toHex() + ".", 0);
      renamed = find(log, "rename " + idOf(data).toHex() + ".", renamed + 1); // the second put's
      assertTrue(
          findExact(log, "sync " + leaf.getParent(), renamed + 1) > renamed,
          "the directory made by the failed put is forced in its parent again: " + log);
    }
  }

  private CompletableFuture<Void> putAsync(DiskFragmentStore store, byte[] data) {
    return CompletableFuture.supplyAsync(() -> store.put(idOf(data), ByteBuffer.wrap(data)), pool)
        .thenCompose(f -> f);
  }

  private static Path dirOf(Path fragments, Hash256 id) {
    return pathOf(fragments, id).getParent();
  }

  private static Path pathOf(Path fragments, Hash256 id) {
    String hex = id.toHex();
    return fragments.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
  }
}
