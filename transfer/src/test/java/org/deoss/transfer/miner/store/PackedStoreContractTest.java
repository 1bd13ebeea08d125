package org.deoss.transfer.miner.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.FragmentStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The store contract with packing on: every fragment of the suite up to 64 KiB is packed. */
class PackedStoreContractTest extends FragmentStoreContract {
  @TempDir Path dir;
  private final List<DiskFragmentStore> opened = new ArrayList<>();

  @Override
  protected FragmentStore newStore() throws IOException {
    DiskFragmentStore store =
        DiskFragmentStore.open(
            DiskStoreConfig.of(dir.resolve("store" + opened.size()), 2L << 20)
                .withPackedMaxLength(64 << 10));
    opened.add(store);
    return store;
  }

  @AfterEach
  void closeStores() throws IOException {
    for (DiskFragmentStore s : opened) {
      s.close();
    }
  }
}
