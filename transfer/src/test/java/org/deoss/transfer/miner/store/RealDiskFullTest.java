package org.deoss.transfer.miner.store;

import static org.deoss.transfer.miner.store.StoreFixtures.await;
import static org.deoss.transfer.miner.store.StoreFixtures.bytes;
import static org.deoss.transfer.miner.store.StoreFixtures.dataFiles;
import static org.deoss.transfer.miner.store.StoreFixtures.failure;
import static org.deoss.transfer.miner.store.StoreFixtures.getAll;
import static org.deoss.transfer.miner.store.StoreFixtures.idOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A real ENOSPC: runs only when {@code -Ddeoss.test.smallfs=DIR} names an empty folder on a small
 * filesystem (a few MiB; for example a {@code tmpfs} mounted with {@code size=1m}), and declares a
 * capacity far above it so that the disk, not the accounting, fills first. Skipped otherwise.
 */
class RealDiskFullTest {
  @Test
  void put_whenFilesystemFills_failsWithCapacityExceededAndLeavesNothing() throws Exception {
    String where = System.getProperty("deoss.test.smallfs");
    Assumptions.assumeTrue(where != null && !where.isBlank(), "no -Ddeoss.test.smallfs given");
    Path root = Files.createTempDirectory(Path.of(where), "store");
    SplittableRandom random = new SplittableRandom(3);
    try (DiskFragmentStore store = DiskFragmentStore.open(DiskStoreConfig.of(root, 1L << 40))) {
      byte[] small = bytes(random, 100_000);
      Hash256 smallId = idOf(small);
      await(store.put(smallId, ByteBuffer.wrap(small)));
      long free = Files.getFileStore(root).getUsableSpace();
      byte[] big = bytes(random, (int) free + (1 << 20));
      FragmentStoreException e = failure(store.put(idOf(big), ByteBuffer.wrap(big)));
      assertEquals(Reason.CAPACITY_EXCEEDED, e.reason(), e.getMessage());
      assertTrue(e.getMessage().contains("disk full"), e.getMessage());
      assertEquals(1, dataFiles(root).size(), "only the small fragment remains");
      assertEquals(1, await(store.stats()).fragments());
      assertArrayEquals(small, getAll(store, smallId));
      byte[] after = bytes(random, 50_000);
      await(store.put(idOf(after), ByteBuffer.wrap(after)));
    }
  }
}
