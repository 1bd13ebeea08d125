package org.deoss.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.deoss.cache.CacheConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real mount through the kernel over the in-memory network; skipped where FUSE is missing. */
class FsMountTest {
  @TempDir Path dir;
  private FsFixture fx;
  private DeossMount mount;
  private Path mp;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/fuse")), "no /dev/fuse here");
    fx = new FsFixture(dir.resolve("fixture-cache"));
    mp = Path.of("target", "mnt-" + Long.toHexString(System.nanoTime())).toAbsolutePath();
    MountOptions o =
        MountOptions.defaults(mp, CacheConfig.defaults(dir.resolve("mount-cache")), 0, 0);
    mount = DeossMount.mount(o, fx.store, fx.reader);
  }

  @AfterEach
  void stop() throws Exception {
    if (mount != null) {
      mount.unmount(Duration.ofSeconds(30), p -> {});
    }
    if (mp != null) {
      Files.deleteIfExists(mp);
    }
    if (fx != null) {
      fx.close();
    }
  }

  private Path files() {
    return mp.resolve("files");
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
  }

  @Test
  void mtimeSetAlone_withAtimeOmitted_isKept_evenWhileTheFileIsOpen() throws Exception {
    // touch -m and GNU tar call utimensat with atime UTIME_OMIT; libfuse 2 drops such a call
    // unless the file system says it handles UTIME_OMIT.
    Files.createDirectories(files());
    Path closed = files().resolve("closed.txt");
    Files.writeString(closed, "x");
    run("touch", "-m", "-d", "@1600000000.789", closed.toString());
    assertEquals(1600000000789L, Files.getLastModifiedTime(closed).toMillis());
    run("touch", "-a", "-d", "@1700000000", closed.toString()); // mtime UTIME_OMIT: unchanged
    assertEquals(1600000000789L, Files.getLastModifiedTime(closed).toMillis());
    Path open = files().resolve("open.txt");
    try (var ch =
        java.nio.channels.FileChannel.open(
            open,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap("tar member".getBytes(StandardCharsets.UTF_8)));
      run("touch", "-m", "-d", "@1500000000.25", open.toString());
    }
    assertEquals(1500000000250L, Files.getLastModifiedTime(open).toMillis());
    mount.unmount(Duration.ofSeconds(30), p -> {});
    mount = null;
    assertEquals(
        1500000000250L * 1_000_000L,
        fx.record(FsFixture.BUCKET, "open.txt").attributes().mtimeNanos());
    assertEquals(
        1600000000789L * 1_000_000L,
        fx.record(FsFixture.BUCKET, "closed.txt").attributes().mtimeNanos());
  }

  @Test
  void filesWrittenThroughTheKernel_readBack_andCommitAtUnmount() throws Exception {
    long seed = new SplittableRandom().nextLong();
    byte[] data = new byte[3 << 20];
    new SplittableRandom(seed).nextBytes(data);
    Files.createDirectories(files().resolve("a/b"));
    Files.write(files().resolve("a/b/data.bin"), data);
    Files.writeString(files().resolve("hello.txt"), "hello");
    assertArrayEquals(data, Files.readAllBytes(files().resolve("a/b/data.bin")), "seed " + seed);
    assertEquals(List.of("a", "hello.txt"), names(files()));
    mount.unmount(Duration.ofSeconds(30), p -> {});
    mount = null;
    assertTrue(fx.committed(FsFixture.BUCKET, "a/b/data.bin"));
    assertEquals("hello", fx.committedText(FsFixture.BUCKET, "hello.txt"));
  }

  @Test
  void renameSymlinkXattrMtimeAndStatfs_workThroughTheKernel() throws Exception {
    Path f = files().resolve("f.txt");
    Files.writeString(f, "text");
    Files.move(f, files().resolve("g.txt"), StandardCopyOption.ATOMIC_MOVE);
    assertFalse(Files.exists(f));
    Files.createDirectory(files().resolve("dir"));
    Files.writeString(files().resolve("dir/x"), "x");
    Files.move(files().resolve("dir"), files().resolve("moved"));
    assertEquals("x", Files.readString(files().resolve("moved/x")));
    Files.createSymbolicLink(files().resolve("link"), Path.of("g.txt"));
    assertEquals(Path.of("g.txt"), Files.readSymbolicLink(files().resolve("link")));
    assertEquals("text", Files.readString(files().resolve("link")));
    UserDefinedFileAttributeView xv =
        Files.getFileAttributeView(files().resolve("g.txt"), UserDefinedFileAttributeView.class);
    xv.write("color", ByteBuffer.wrap("red".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("color"), xv.list());
    FileTime t = FileTime.fromMillis(1_500_000_000_000L);
    Files.setLastModifiedTime(files().resolve("g.txt"), t);
    assertEquals(t, Files.getLastModifiedTime(files().resolve("g.txt")));
    Files.setPosixFilePermissions(
        files().resolve("g.txt"), PosixFilePermissions.fromString("rw-------"));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(files().resolve("g.txt"))));
    assertEquals(1L << 30, Files.getFileStore(files()).getTotalSpace());
    assertThrows(DirectoryNotEmptyException.class, () -> Files.delete(files().resolve("moved")));
    Files.createDirectory(mp.resolve(".Trash-0"));
    assertEquals(List.of(".Trash-0", "files", "shared-with-me"), names(mp));
  }

  @Test
  void mountingTheSameFolderTwice_isRefused() {
    MountOptions o = MountOptions.defaults(mp, CacheConfig.defaults(dir.resolve("other")), 0, 0);
    MountException e =
        assertThrows(MountException.class, () -> DeossMount.mount(o, fx.store, fx.reader));
    assertTrue(e.getMessage().contains("already mounted"), e.getMessage());
  }

  @Test
  void aCacheDirectoryInUse_isRefused() throws Exception {
    Path other = Files.createDirectories(dir.resolve("other-mp"));
    MountOptions o =
        MountOptions.defaults(other, CacheConfig.defaults(dir.resolve("mount-cache")), 0, 0);
    MountException e =
        assertThrows(MountException.class, () -> DeossMount.mount(o, fx.store, fx.reader));
    assertTrue(e.getMessage().contains("in use by another mount"), e.getMessage());
  }

  @Test
  void aFolderWithFiles_isRefused() throws Exception {
    Path full = Files.createDirectories(dir.resolve("full"));
    Files.writeString(full.resolve("x"), "x");
    MountOptions o = MountOptions.defaults(full, CacheConfig.defaults(dir.resolve("c2")), 0, 0);
    MountException e =
        assertThrows(MountException.class, () -> DeossMount.mount(o, fx.store, fx.reader));
    assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
  }

  @Test
  void unmountBySomeoneElse_endsTheMount() throws Exception {
    assertEquals(null, MountTable.fusermount(mp, false));
    mount.awaitUnmounted();
    assertFalse(mount.isMounted());
  }

  private static List<String> names(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }
}
