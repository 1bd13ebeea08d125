package org.deoss.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.placement.Placement;
import org.deoss.core.port.InMemoryMinerDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A new version re-encodes only what an edit touched and keeps the other segments' fragments. */
class RewriteTest {
  private static final long SEED = 77;
  private static final int MIB = 1 << 20;
  private final SplittableRandom random = new SplittableRandom(SEED);
  private final SecureRandom secure = new SecureRandom();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final PipelineConfig config = PipelineConfig.defaults().withSegmentSize(MIB);
  private final InMemoryMinerDirectory miners = InMemoryMinerDirectory.of(12, 1, 512L * MIB);
  private final ObjectWriter writer =
      new ObjectWriter(config, miners, Placement.create(4, 8, new SplittableRandom(SEED)), secure);
  private final DataKey key = DataKey.generate(secure);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private byte[] read(ObjectManifest m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ObjectReader(miners, scheduler, Duration.ZERO, Runnable::run)
        .readAll(m, key, out, ProgressListener.NONE);
    return out.toByteArray();
  }

  private long storedFragments() {
    return miners.miners().stream()
        .mapToLong(m -> miners.memoryStore(m).stats().join().fragments())
        .sum();
  }

  private ObjectManifest rewrite(ObjectManifest base, byte[] content, BitSet touched)
      throws IOException {
    SegmentSource source =
        (index, buf, length) -> System.arraycopy(content, index * MIB, buf, 0, length);
    return writer
        .rewrite(base, key, content.length, source, touched, ProgressListener.NONE)
        .manifest();
  }

  @Test
  void rewrite_oneTouchedSegment_reencodesOnlyThatSegment() throws IOException {
    byte[] v1 = bytes(3 * MIB + MIB / 2);
    ObjectManifest base =
        writer
            .write(
                ObjectId.random(secure), key, new ByteArrayInputStream(v1), ProgressListener.NONE)
            .manifest();
    long before = storedFragments();
    byte[] v2 = v1.clone();
    v2[MIB + 100] ^= 1;
    BitSet touched = new BitSet();
    touched.set(1);
    ObjectManifest next = rewrite(base, v2, touched);
    assertEquals(base.objectId(), next.objectId());
    assertEquals(base.segments().get(0), next.segments().get(0));
    assertNotEquals(base.segments().get(1), next.segments().get(1));
    assertEquals(base.segments().get(2), next.segments().get(2));
    assertEquals(base.segments().get(3), next.segments().get(3));
    assertNotEquals(base.fid(), next.fid());
    assertEquals(before + 12, storedFragments(), "only one segment's 12 fragments are new");
    assertArrayEquals(v2, read(next));
    assertArrayEquals(v1, read(base), "the previous version still reads");
  }

  @Test
  void rewrite_grow_reencodesTheOldLastSegmentAndAppends() throws IOException {
    byte[] v1 = bytes(MIB + 10);
    ObjectManifest base =
        writer
            .write(
                ObjectId.random(secure), key, new ByteArrayInputStream(v1), ProgressListener.NONE)
            .manifest();
    byte[] v2 = Arrays.copyOf(v1, 3 * MIB + 10);
    System.arraycopy(bytes(2 * MIB), 0, v2, MIB + 10, 2 * MIB);
    ObjectManifest next = rewrite(base, v2, new BitSet());
    assertEquals(4, next.segments().size());
    assertEquals(base.segments().get(0), next.segments().get(0));
    assertNotEquals(base.segments().get(1), next.segments().get(1));
    assertArrayEquals(v2, read(next));
  }

  @Test
  void rewrite_truncate_keepsWholeSegmentsAndCutsTheRest() throws IOException {
    byte[] v1 = bytes(3 * MIB);
    ObjectManifest base =
        writer
            .write(
                ObjectId.random(secure), key, new ByteArrayInputStream(v1), ProgressListener.NONE)
            .manifest();
    byte[] v2 = Arrays.copyOf(v1, MIB + MIB / 2);
    ObjectManifest next = rewrite(base, v2, new BitSet());
    assertEquals(2, next.segments().size());
    assertEquals(base.segments().get(0), next.segments().get(0));
    assertArrayEquals(v2, read(next));
    ObjectManifest empty = rewrite(base, new byte[0], new BitSet());
    assertEquals(0, empty.size());
    assertEquals(ObjectManifest.EMPTY_FID, empty.fid());
  }
}
