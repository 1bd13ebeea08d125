package org.deoss.tests.mount;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes on a real mount over a real network: {@code kill -9} of the mount right after close() and
 * right after fsync(), then a new mount with the same cache (which cleans the stale mount point and
 * replays the write-back journal): every closed or fsynced file is there with its bytes, also after
 * a further clean remount with an empty cache (so they reached the miners). Last, eight of the
 * twelve miners are killed with SIGKILL while the mount reads, and every file still reads byte for
 * byte.
 */
@Timeout(600)
@TestMethodOrder(OrderAnnotation.class)
class MountCrashTest {
  private static final long SEED = 20261125L;
  private static final int MIB = 1 << 20;

  @TempDir static Path root;
  static MountHarness mount;

  @BeforeAll
  static void startNetworkAndMount() throws Exception {
    mount = MountHarness.start(root, 12, 50);
    mount.createBucket("crash");
    mount.mount();
  }

  @AfterAll
  static void stop() throws Exception {
    if (mount != null) {
      mount.keepLogs(Path.of("target", "mount-logs", "MountCrashTest"));
      mount.close();
    }
  }

  /** Seeded contents: a few bytes to a few MiB, one large file. */
  private static Map<Path, byte[]> files(Path dir, int count, int largeMib, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<Path, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      int size = i == 0 ? largeMib * MIB : random.nextInt(1 << (1 + random.nextInt(22)));
      byte[] data = new byte[size];
      random.nextBytes(data);
      files.put(dir.resolve("file-" + i), data);
    }
    return files;
  }

  private static void assertAllThere(Map<Path, byte[]> files, String when) throws IOException {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<Path, byte[]> e : files.entrySet()) {
      Path f = e.getKey();
      byte[] want = e.getValue();
      if (!Files.exists(f)) {
        problems.add(f + ": missing (expected " + want.length + " bytes)");
        continue;
      }
      byte[] got = Files.readAllBytes(f);
      if (got.length != want.length) {
        problems.add(f + ": " + got.length + " bytes, expected " + want.length);
      } else if (!java.util.Arrays.equals(got, want)) {
        problems.add(
            f
                + ": same size "
                + want.length
                + " but bytes differ from offset "
                + firstDiff(got, want));
      }
    }
    if (!problems.isEmpty()) {
      fail(when + ":\n" + String.join("\n", problems) + "\n" + mount.diagnostics());
    }
  }

  private static int firstDiff(byte[] a, byte[] b) {
    return java.util.Arrays.mismatch(a, b);
  }

  @Test
  @Order(1)
  void kill9RightAfterClose_remount_everyClosedFileHasItsBytes() throws Exception {
    Path dir = Files.createDirectories(mount.bucket("crash").resolve("closed"));
    Map<Path, byte[]> files = files(dir, 25, 20, SEED);
    for (Map.Entry<Path, byte[]> e : files.entrySet()) {
      Files.write(e.getKey(), e.getValue());
    }
    mount.kill9();
    assertTrue(mount.isMounted(), "a killed mount leaves its mount point behind (stale)");
    mount.mountAgain();
    assertAllThere(files, "after kill -9 right after close() and a remount");
    mount.remountWithEmptyCache("after-close");
    assertAllThere(files, "after kill -9, replay, clean unmount and a mount with an empty cache");
  }

  @Test
  @Order(2)
  void kill9RightAfterFsync_remount_fsyncedFileHasItsBytes() throws Exception {
    Path dir = Files.createDirectories(mount.bucket("crash").resolve("fsynced"));
    Map<Path, byte[]> files = files(dir, 3, 12, SEED + 1);
    List<FileChannel> open = new ArrayList<>();
    try {
      for (Map.Entry<Path, byte[]> e : files.entrySet()) {
        FileChannel ch =
            FileChannel.open(e.getKey(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        open.add(ch);
        ByteBuffer b = ByteBuffer.wrap(e.getValue());
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      mount.kill9();
    } finally {
      for (FileChannel ch : open) {
        try {
          ch.close();
        } catch (IOException e) {
          // the mount is gone: closing its handle fails (ENOTCONN), as expected
        }
      }
    }
    mount.mountAgain();
    assertAllThere(files, "after kill -9 right after fsync() (file still open) and a remount");
    mount.remountWithEmptyCache("after-fsync");
    assertAllThere(files, "after kill -9, replay, clean unmount and a mount with an empty cache");
  }

  @Test
  @Order(3)
  void eightOfTwelveMinersKilledWhileTheMountReads_everyFileReadsByteForByte() throws Exception {
    Path dir = Files.createDirectories(mount.bucket("crash").resolve("survivors"));
    Map<Path, byte[]> files = files(dir, 8, 70, SEED + 2);
    for (Map.Entry<Path, byte[]> e : files.entrySet()) {
      Files.write(e.getKey(), e.getValue());
    }
    mount.remountWithEmptyCache("before-miners-die");
    CountDownLatch reading = new CountDownLatch(1);
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              try {
                Path large = files.keySet().iterator().next();
                try (FileChannel ch = FileChannel.open(large)) {
                  ByteBuffer b = ByteBuffer.allocate(MIB);
                  ch.read(b, 0);
                  reading.countDown();
                }
                assertAllThere(files, "read while 8 of 12 miners were killed");
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              } finally {
                reading.countDown();
              }
            });
    assertTrue(reading.await(2, TimeUnit.MINUTES), "the reader started");
    for (int m = 0; m < 8; m++) {
      mount.cluster().kill(m);
    }
    reader.get(5, TimeUnit.MINUTES);
    mount.remountWithEmptyCache("miners-dead");
    assertAllThere(files, "with 8 of 12 miners dead and an empty cache");
  }
}
