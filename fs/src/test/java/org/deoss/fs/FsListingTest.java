package org.deoss.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large folders listed page by page, merged with files the cache has not uploaded yet. */
class FsListingTest {
  private static final int COMMITTED = 2_345;
  @TempDir Path dir;
  private FsFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new FsFixture(dir);
    fx.core.mkdir("/files/big", 0755, 1, 1);
    for (int i = 0; i < COMMITTED; i += 2) {
      fx.writeFile(String.format("/files/big/f%05d", i), "");
    }
    fx.core.mkdir("/files/big/sub", 0755, 1, 1);
    fx.drain();
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void largeFolder_isListedInPages_mergedWithPendingFiles_withoutRepeats() throws Exception {
    for (int i = 1; i < COMMITTED; i += 2 * 97) {
      fx.writeFile(String.format("/files/big/f%05d", i), "pending");
    }
    fx.writeFile("/files/big/f00000", "rewritten, pending and committed");
    List<String> names = fx.list("/files/big");
    TreeSet<String> want = new TreeSet<>();
    for (int i = 0; i < COMMITTED; i += 2) {
      want.add(String.format("f%05d", i));
    }
    for (int i = 1; i < COMMITTED; i += 2 * 97) {
      want.add(String.format("f%05d", i));
    }
    want.add("sub");
    assertEquals(new ArrayList<>(want), names);
  }

  @Test
  void readdir_continuesAtNonzeroOffsets_andRewinds() throws Exception {
    long dh = fx.core.opendir("/files/big");
    assertEquals(".", fx.core.readdir(dh, 0));
    assertEquals("..", fx.core.readdir(dh, 1));
    assertEquals("f00000", fx.core.readdir(dh, 2));
    String later = fx.core.readdir(dh, 1100); // in the second ledger page
    assertEquals(String.format("f%05d", (1100 - 2) * 2), later);
    assertEquals("f00002", fx.core.readdir(dh, 3)); // a rewind restarts from the first page
    int files = (COMMITTED + 1) / 2;
    assertEquals("sub", fx.core.readdir(dh, 2 + files));
    assertNull(fx.core.readdir(dh, 3 + files));
    fx.core.releasedir(dh);
  }
}
