package org.deoss.transfer.miner.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.FragmentStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract again with the work on an executor, as the miner server runs it. */
class AsyncDiskFragmentStoreContractTest extends FragmentStoreContract {
  @TempDir Path dir;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private DiskFragmentStore store;

  @Override
  protected FragmentStore newStore() throws IOException {
    store =
        DiskFragmentStore.open(
            DiskStoreConfig.of(dir.resolve("store"), 2L << 20).withExecutor(executor));
    return store;
  }

  @AfterEach
  void closeStore() throws IOException {
    executor.shutdownNow();
    store.close();
  }
}
