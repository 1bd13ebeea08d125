package org.deoss.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/** The boundary's callbacks with real native structs and buffers, without a kernel mount. */
class FsBoundaryStructsTest {
  private static final Runtime RT = Runtime.getSystemRuntime();
  @TempDir Path dir;
  private FsFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new FsFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private static Pointer memory(int bytes) {
    return Memory.allocateDirect(RT, bytes, true);
  }

  private static FuseFileInfo fileInfo(int flags) {
    FuseFileInfo fi = FuseFileInfo.of(memory(128));
    fi.flags.set(flags);
    return fi;
  }

  private static FileStat stat() {
    return FileStat.of(memory(Struct.size(new FileStat(RT)) + 64));
  }

  @Test
  void createWriteReadGetattr_throughNativeBuffers() {
    long seed = new SplittableRandom().nextLong();
    byte[] data = new byte[200_000];
    new SplittableRandom(seed).nextBytes(data);
    FuseFileInfo w = fileInfo(FsCore.O_CREAT | 01);
    assertEquals(0, fx.fuse.create("/files/f", 0100640, w));
    Pointer src = memory(data.length);
    src.put(0, data, 0, data.length);
    assertEquals(131072, fx.fuse.write("/files/f", src, 131072, 0, w));
    assertEquals(
        data.length - 131072,
        fx.fuse.write("/files/f", src.slice(131072), data.length - 131072, 131072, w));
    FileStat open = stat();
    assertEquals(0, fx.fuse.fgetattr("/files/f", open, w));
    assertEquals(data.length, open.st_size.longValue());
    assertEquals(0, fx.fuse.release("/files/f", w));

    FuseFileInfo r = fileInfo(0);
    assertEquals(0, fx.fuse.open("/files/f", r));
    Pointer dst = memory(data.length);
    int n1 = fx.fuse.read("/files/f", dst, 131072, 0, r);
    int n2 = fx.fuse.read("/files/f", dst.slice(n1), 131072, n1, r);
    assertEquals(data.length, n1 + n2);
    assertEquals(0, fx.fuse.read("/files/f", dst, 4096, data.length, r));
    byte[] back = new byte[data.length];
    dst.get(0, back, 0, back.length);
    assertArrayEquals(data, back, "seed " + seed);
    assertEquals(0, fx.fuse.release("/files/f", r));

    FileStat s = stat();
    assertEquals(0, fx.fuse.getattr("/files/f", s));
    assertEquals(0100640, s.st_mode.intValue());
    assertEquals(FsFixture.UID, s.st_uid.intValue());
    assertEquals(data.length, s.st_size.longValue());
    assertEquals(-ErrorCodes.ENOENT(), fx.fuse.getattr("/files/none", stat()));
  }

  @Test
  void write_fromNativeAndFromHeapMemory_storesTheSameBytes() throws Exception {
    long seed = new SplittableRandom().nextLong();
    byte[] data = new byte[150_000];
    new SplittableRandom(seed).nextBytes(data);
    FuseFileInfo w = fileInfo(FsCore.O_CREAT | 01);
    assertEquals(0, fx.fuse.create("/files/mixed", 0100640, w));
    Pointer heap = Memory.allocate(RT, 100_000); // not native: copied, not viewed
    heap.put(0, data, 0, 100_000);
    Pointer direct = memory(data.length - 100_000);
    direct.put(0, data, 100_000, data.length - 100_000);
    assertEquals(100_000, fx.fuse.write("/files/mixed", heap, 100_000, 0, w));
    assertEquals(
        data.length - 100_000,
        fx.fuse.write("/files/mixed", direct, data.length - 100_000, 100_000, w));
    assertEquals(0, fx.fuse.release("/files/mixed", w));

    FuseFileInfo r = fileInfo(0);
    assertEquals(0, fx.fuse.open("/files/mixed", r));
    Pointer dst = memory(data.length);
    int n1 = fx.fuse.read("/files/mixed", dst, 131072, 0, r);
    int n2 = fx.fuse.read("/files/mixed", dst.slice(n1), data.length - n1, n1, r);
    assertEquals(data.length, n1 + n2);
    byte[] back = new byte[data.length];
    dst.get(0, back, 0, back.length);
    assertArrayEquals(data, back, "seed " + seed);
    assertEquals(0, fx.fuse.release("/files/mixed", r));
  }

  @Test
  void read_intoNativeOrHeapMemory_returnsTheSameBytes() {
    long seed = new SplittableRandom().nextLong();
    byte[] data = new byte[150_000];
    new SplittableRandom(seed).nextBytes(data);
    FuseFileInfo w = fileInfo(FsCore.O_CREAT | 01);
    assertEquals(0, fx.fuse.create("/files/g", 0100640, w));
    Pointer src = memory(data.length);
    src.put(0, data, 0, data.length);
    assertEquals(data.length, fx.fuse.write("/files/g", src, data.length, 0, w));
    assertEquals(0, fx.fuse.release("/files/g", w));

    FuseFileInfo r = fileInfo(0);
    assertEquals(0, fx.fuse.open("/files/g", r));
    // Native memory is read into directly (a view over it); heap memory through the thread's
    // buffer and a copy.
    Pointer direct = memory(100_000);
    Pointer heap = Memory.allocate(RT, 100_000);
    assertEquals(100_000, fx.fuse.read("/files/g", direct, 100_000, 7, r));
    assertEquals(100_000, fx.fuse.read("/files/g", heap, 100_000, 7, r));
    byte[] a = new byte[100_000];
    byte[] b = new byte[100_000];
    direct.get(0, a, 0, a.length);
    heap.get(0, b, 0, b.length);
    byte[] expected = java.util.Arrays.copyOfRange(data, 7, 100_007);
    assertArrayEquals(expected, a, "seed " + seed);
    assertArrayEquals(expected, b, "seed " + seed);
    assertEquals(0, fx.fuse.release("/files/g", r));
  }

  @Test
  void nativeView_coversTheSameMemory_andIsNullForHeapMemory() {
    Pointer direct = memory(64);
    ByteBuffer view = FuseBoundary.nativeView(direct, 64);
    view.put(3, (byte) 42);
    assertEquals(42, direct.getByte(3));
    assertEquals(64, view.capacity());
    assertEquals(null, FuseBoundary.nativeView(Memory.allocate(RT, 64), 64));
  }

  @Test
  void readdir_fillsNamesWithNextOffsets_andStopsWhenTheBufferIsFull() throws Exception {
    for (int i = 0; i < 5; i++) {
      fx.writeFile("/files/n" + i, "");
    }
    FuseFileInfo d = fileInfo(0);
    assertEquals(0, fx.fuse.opendir("/files", d));
    List<String> names = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    FuseFillDir fillThree =
        new FuseFillDir() {
          @Override
          public int apply(Pointer buf, ByteBuffer name, Pointer stbuf, long off) {
            throw new AssertionError("the String variant is used");
          }

          @Override
          public int apply(Pointer buf, String name, FileStat stbuf, long off) {
            if (names.size() == 3) {
              return 1; // full
            }
            names.add(name);
            offsets.add(off);
            return 0;
          }
        };
    assertEquals(0, fx.fuse.readdir("/files", null, fillThree, 0, d));
    assertEquals(List.of(".", "..", "n0"), names);
    assertEquals(List.of(1L, 2L, 3L), offsets);
    names.clear();
    assertEquals(0, fx.fuse.readdir("/files", null, fillThree, 3, d));
    assertEquals(List.of("n1", "n2", "n3"), names);
    assertEquals(0, fx.fuse.releasedir("/files", d));
  }

  @Test
  void statfs_utimens_xattrsAndReadlink_withNativeStructs() throws Exception {
    Statvfs v = Statvfs.of(memory(Struct.size(new Statvfs(RT)) + 64));
    assertEquals(0, fx.fuse.statfs("/", v));
    assertEquals(FsStatfs.BLOCK, v.f_bsize.longValue());
    assertEquals((1L << 30) / FsStatfs.BLOCK, v.f_blocks.longValue());

    fx.writeFile("/files/f", "x");
    Pointer times = memory(64);
    Timespec atime = Timespec.of(times);
    Timespec mtime = Timespec.of(times.slice(Struct.size(atime)));
    atime.tv_nsec.set(FuseBoundary.UTIME_OMIT);
    mtime.tv_sec.set(1_400_000_000L);
    mtime.tv_nsec.set(5);
    assertEquals(0, fx.fuse.utimens("/files/f", new Timespec[] {atime, mtime}));
    assertEquals(1_400_000_000_000_000_005L, fx.core.getattr("/files/f").mtimeNanos());

    Pointer value = memory(16);
    value.put(0, "abc".getBytes(StandardCharsets.UTF_8), 0, 3);
    assertEquals(0, fx.fuse.setxattr("/files/f", "user.k", value, 3, 0));
    assertEquals(3, fx.fuse.getxattr("/files/f", "user.k", null, 0));
    assertEquals(-ErrorCodes.ERANGE(), fx.fuse.getxattr("/files/f", "user.k", memory(2), 2));
    Pointer list = memory(64);
    assertEquals(7, fx.fuse.listxattr("/files/f", list, 64));
    assertEquals("user.k", list.getString(0));

    assertEquals(0, fx.fuse.symlink("target/path", "/files/l"));
    Pointer link = memory(64);
    assertEquals(0, fx.fuse.readlink("/files/l", link, 64));
    assertEquals("target/path", link.getString(0));
  }

  @Test
  void boundary_tellsLibfuseItHandlesUtimeOmit_atTheFlagsWordAfter38Callbacks() {
    assertEquals(38L * jnr.ffi.Runtime.getSystemRuntime().addressSize(), fx.fuse.flagsOffset());
    assertTrue(fx.fuse.utimeOmitAllowed());
  }
}
