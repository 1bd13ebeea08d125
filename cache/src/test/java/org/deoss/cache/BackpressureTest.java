package org.deoss.cache;

import static org.deoss.cache.StoreFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.deoss.core.ledger.PosixAttributes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer at the dirty bound blocks (never fails) and resumes when a flush frees the bytes. */
class BackpressureTest {
  @TempDir Path dir;
  private final StoreFixture fx = new StoreFixture();

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void writer_atTheDirtyBound_blocksUntilAFlushCompletes() throws Exception {
    ManualExecutor uploads = new ManualExecutor();
    WriteBackCache c =
        fx.open(StoreFixture.config(dir).withMaxDirtyBytes(MIB), new FakeScheduler(), uploads);
    byte[] data = new byte[3 * MIB / 2];
    new SplittableRandom(3).nextBytes(data);
    CountDownLatch firstHalf = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    FileHandle h =
        c.open(fx.path("big"), EnumSet.of(OpenFlag.CREATE), PosixAttributes.file(0100644, 1));
    Thread writer =
        new Thread(
            () -> {
              try {
                h.write(0, ByteBuffer.wrap(data, 0, MIB));
                firstHalf.countDown();
                h.write(MIB, ByteBuffer.wrap(data, MIB, MIB / 2)); // over the bound: blocks
                done.countDown();
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    writer.start();
    assertTrue(firstHalf.await(30, TimeUnit.SECONDS));
    while (c.progress().blockedWriters() == 0 && failure.get() == null) {
      Thread.onSpinWait();
    }
    assertNull(failure.get());
    assertEquals(1, done.getCount(), "the second write waits");
    assertEquals(MIB, c.progress().bytesPending());
    assertTrue(uploads.queued() > 0, "reaching the bound starts a flush of the open file");
    uploads.runAll(); // the flush commits the first MiB and frees it
    assertTrue(done.await(30, TimeUnit.SECONDS), "the writer resumes");
    writer.join(30_000);
    assertFalse(writer.isAlive());
    assertNull(failure.get());
    assertEquals(MIB, fx.record("big").size(), "the first MiB was committed by the flush");
    h.fsync();
    h.close();
    assertArrayEquals(data, fx.committed("big"));
    assertEquals(0, c.progress().bytesPending());
  }
}
