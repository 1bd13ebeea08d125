package org.deoss.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The temp-file-then-rename pattern of rsync and editors, through the cache. */
class RenameTest {
  private static final Set<OpenFlag> CREATE = EnumSet.of(OpenFlag.CREATE);
  private static final PosixAttributes FILE = PosixAttributes.file(0100644, 1);

  @TempDir Path dir;
  private final StoreFixture fx = new StoreFixture();
  private final FakeScheduler scheduler = new FakeScheduler();

  @AfterEach
  void stop() {
    fx.close();
  }

  private boolean exists(String key) {
    return fx.ledger.object(fx.alice.id(), StoreFixture.BUCKET, key).isPresent();
  }

  private void put(WriteBackCache c, String key, String content, boolean fsync) throws IOException {
    try (FileHandle h =
        c.open(fx.path(key), EnumSet.of(OpenFlag.CREATE, OpenFlag.TRUNCATE), FILE)) {
      h.write(0, ByteBuffer.wrap(content.getBytes()));
      if (fsync) {
        h.fsync();
      }
    }
  }

  @Test
  void renameOfANewFile_isLocal_andOnlyTheFinalNameIsCommitted() throws IOException {
    WriteBackCache c = fx.open(StoreFixture.config(dir), scheduler, Runnable::run);
    put(c, ".a.XYZ", "content", false);
    long height = fx.ledger.head().height();
    assertTrue(c.rename(fx.path(".a.XYZ"), fx.path("a")));
    assertEquals(height, fx.ledger.head().height(), "no ledger transaction for the rename");
    assertTrue(c.pending(fx.path(".a.XYZ")).isEmpty());
    assertEquals(7, c.pending(fx.path("a")).orElseThrow().size());
    scheduler.advance(Duration.ofSeconds(2));
    assertArrayEquals("content".getBytes(), fx.committed("a"));
    assertFalse(exists(".a.XYZ"));
  }

  @Test
  void renameOfANewFile_overACommittedOne_replacesIt() throws IOException {
    WriteBackCache c = fx.open(StoreFixture.config(dir), scheduler, Runnable::run);
    put(c, "b", "old", true);
    ObjectRecord old = fx.record("b");
    put(c, ".b.tmp", "new bytes", false);
    assertTrue(c.rename(fx.path(".b.tmp"), fx.path("b")));
    c.flush(fx.path("b"));
    ObjectRecord now = fx.record("b");
    assertTrue(now.version() > old.version());
    assertArrayEquals("new bytes".getBytes(), fx.committed("b"));
    assertFalse(exists(".b.tmp"));
  }

  @Test
  void renameOfACommittedFileWithPendingBytes_movesItOnTheLedgerAndCommitsThere()
      throws IOException {
    WriteBackCache c = fx.open(StoreFixture.config(dir), scheduler, Runnable::run);
    put(c, "c", "first", true);
    long version = fx.record("c").version();
    try (FileHandle h = c.open(fx.path("c"), Set.of(), FILE)) {
      h.write(5, ByteBuffer.wrap(" second".getBytes()));
      assertTrue(c.rename(fx.path("c"), fx.path("d")));
      assertFalse(exists("c"));
      assertEquals(version, fx.record("d").version(), "the committed version moved as it was");
      assertEquals(fx.path("d"), h.path());
    }
    scheduler.advance(Duration.ofSeconds(2));
    assertArrayEquals("first second".getBytes(), fx.committed("d"));
    assertFalse(exists("c"));
  }

  @Test
  void renameThenCrash_commitsUnderTheNewName() throws IOException {
    WriteBackCache first = fx.open(StoreFixture.config(dir), scheduler, r -> {});
    put(first, ".e.tmp", "survives", false);
    assertTrue(first.rename(fx.path(".e.tmp"), fx.path("e")));
    // killed here
    WriteBackCache second = fx.open(StoreFixture.config(dir), new FakeScheduler(), Runnable::run);
    assertEquals(0, second.progress().entries());
    assertArrayEquals("survives".getBytes(), fx.committed("e"));
    assertFalse(exists(".e.tmp"));
  }

  @Test
  void rename_ofAnUncachedFile_isLeftToTheCaller() throws IOException {
    WriteBackCache c = fx.open(StoreFixture.config(dir), scheduler, Runnable::run);
    put(c, "f", "x", true);
    assertFalse(c.rename(fx.path("f"), fx.path("g")));
    assertTrue(exists("f"));
  }
}
