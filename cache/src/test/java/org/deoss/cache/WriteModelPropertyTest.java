package org.deoss.cache;

import static org.deoss.cache.StoreFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.deoss.core.ledger.PosixAttributes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random writes, truncates, reads, fsyncs and reopens against a byte-array model: the file always
 * reads as the model, every committed version equals the model at its fsync, and a file closed
 * before a crash is committed as the model by the restarted cache.
 */
class WriteModelPropertyTest {
  private static final PosixAttributes FILE = PosixAttributes.file(0100644, 1);

  @TempDir Path dir;
  private final StoreFixture fx = new StoreFixture();

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void randomOperations_matchTheModel() throws IOException {
    for (long seed = 1; seed <= 5; seed++) {
      run(seed);
    }
  }

  private void run(long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    String key = "model-" + seed;
    String where = "seed " + seed;
    WriteBackCache c =
        fx.open(StoreFixture.config(dir.resolve("s" + seed)), new FakeScheduler(), Runnable::run);
    byte[] model = new byte[random.nextInt(3 * MIB)];
    random.nextBytes(model);
    FileHandle h = c.open(fx.path(key), Set.of(OpenFlag.CREATE), FILE);
    h.write(0, ByteBuffer.wrap(model));
    h.fsync();
    for (int step = 0; step < 40; step++) {
      String at = where + " step " + step;
      int op = random.nextInt(10);
      if (op < 4) {
        int len = 1 + random.nextInt(300_000);
        int off = random.nextInt(model.length + 200_000);
        byte[] b = new byte[len];
        random.nextBytes(b);
        h.write(off, ByteBuffer.wrap(b));
        if (off + len > model.length) {
          model = Arrays.copyOf(model, off + len);
        }
        System.arraycopy(b, 0, model, off, len);
      } else if (op < 6) {
        int size = random.nextInt(model.length + MIB);
        h.truncate(size);
        model = Arrays.copyOf(model, size);
      } else if (op < 8) {
        int off = model.length == 0 ? 0 : random.nextInt(model.length);
        int len = random.nextInt(400_000);
        ByteBuffer buf = ByteBuffer.allocate(len);
        int n = Math.max(0, h.read(off, buf));
        assertEquals(Math.min(len, model.length - off), n, at + ": read count");
        assertArrayEquals(
            Arrays.copyOfRange(model, off, off + n), Arrays.copyOf(buf.array(), n), at);
      } else if (op == 8) {
        h.fsync();
        assertArrayEquals(model, fx.committed(key), at + ": committed bytes");
      } else {
        h.close();
        h = c.open(fx.path(key), EnumSet.noneOf(OpenFlag.class), FILE);
      }
      assertEquals(model.length, h.size(), at + ": size");
    }
    if (seed % 2 == 0) {
      h.fsync();
      h.close();
    } else {
      // close only, then a crash before the delayed upload: a restart must commit the model
      h.close();
      WriteBackCache restarted =
          fx.open(StoreFixture.config(dir.resolve("s" + seed)), new FakeScheduler(), Runnable::run);
      assertEquals(0, restarted.progress().entries(), where + ": replayed and committed");
    }
    assertArrayEquals(model, fx.committed(key), where + ": final");
  }
}
