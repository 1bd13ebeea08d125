package org.deoss.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import ru.serce.jnrfuse.ErrorCodes;

/**
 * {@link FsOperationsTest} again with a metadata cache that trusts the ledger for a minute, as a
 * mount does for its TTL: every lookup then goes through folder listings and cached records, and
 * must still see the mount's own changes at once.
 */
class FsOperationsCachedTest extends FsOperationsTest {
  @Override
  FsFixture fixture(Path dir) throws java.io.IOException {
    return new FsFixture(dir, null, 1, Duration.ofMinutes(1));
  }

  private int errnoOfGetattr(FsFixture fx, String path) {
    return assertThrows(FsException.class, () -> fx.core.getattr(path)).errno();
  }

  @Test
  void file_lookedUpMissing_thenCommittedAndDroppedFromTheCache_isStillFound(
      @org.junit.jupiter.api.io.TempDir Path other) throws Exception {
    try (FsFixture fx = fixture(other)) {
      assertEquals(ErrorCodes.ENOENT(), errnoOfGetattr(fx, "/files/late.txt"));
      long fh = fx.core.create("/files/late.txt", 0644, FsCore.O_CREAT | 01, 1, 1);
      fx.core.write(fh, 0, ByteBuffer.wrap("late".getBytes(StandardCharsets.UTF_8)));
      fx.core.fsync(fh);
      fx.core.release(fh);
      assertEquals(0, fx.cache.progress().entries(), "committed and dropped from the cache");
      assertEquals(4, fx.core.getattr("/files/late.txt").size());
    }
  }
}
