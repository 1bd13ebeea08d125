package org.deoss.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.deoss.cache.FileHandle;
import org.deoss.cache.ObjectPath;
import org.deoss.cache.OpenFlag;
import org.deoss.core.ledger.PosixAttributes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each operation does (the errno of failures is in {@link FsErrnoTest}). */
class FsOperationsTest {
  @TempDir Path dir;
  private FsFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = fixture(dir);
  }

  /** The fixture every test runs on; a subclass runs them all again on another. */
  FsFixture fixture(Path dir) throws java.io.IOException {
    return new FsFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void root_listsBuckets_andMkdirThereCreatesOne() throws Exception {
    assertEquals(List.of("files", "shared-with-me"), fx.list("/"));
    fx.core.mkdir("/photos", 0755, 1, 1);
    assertTrue(fx.ledger.bucket(fx.alice.id(), "photos").isPresent());
    assertEquals(List.of("files", "photos", "shared-with-me"), fx.list("/"));
    fx.core.rmdir("/photos");
    assertFalse(fx.ledger.bucket(fx.alice.id(), "photos").isPresent());
  }

  @Test
  void trash_movesFileAndFolderIntoTheReservedBucket_andBack_keepingVersions() throws Exception {
    // What GIO's "Move to Trash" does on a mount: rename into <root>/.Trash-<uid>/files/.
    fx.writeFile("/files/doc.txt", "draft"); // pending in the cache, not yet uploaded
    fx.core.mkdir("/files/album", 0755, 1, 1);
    fx.writeFile("/files/album/a.jpg", "A");
    fx.writeFile("/files/album/b.jpg", "B");
    fx.drain();
    long albumVersion = fx.record("files", "album/a.jpg").version();
    fx.core.mkdir("/.Trash-1000", 0700, 1000, 1000);
    fx.core.mkdir("/.Trash-1000/files", 0700, 1000, 1000);
    fx.writeFile("/files/later.txt", "still pending");
    fx.core.rename("/files/later.txt", "/.Trash-1000/files/later.txt");
    fx.core.rename("/files/doc.txt", "/.Trash-1000/files/doc.txt");
    fx.core.rename("/files/album", "/.Trash-1000/files/album");
    assertEquals(List.of(), fx.list("/files"));
    assertEquals(List.of("album", "doc.txt", "later.txt"), fx.list("/.Trash-1000/files"));
    assertEquals("still pending", fx.readFile("/.Trash-1000/files/later.txt"));
    assertEquals("B", fx.readFile("/.Trash-1000/files/album/b.jpg"));
    // Restore: back where it was, the same version (nothing was copied or re-uploaded).
    fx.core.rename("/.Trash-1000/files/album", "/files/album");
    assertEquals(albumVersion, fx.record("files", "album/a.jpg").version());
    assertEquals("A", fx.readFile("/files/album/a.jpg"));
    assertEquals("draft", fx.readFile("/.Trash-1000/files/doc.txt"));
  }

  @Test
  void dotEntriesAndFilesAtRoot_liveInTheReservedBucket_whichTheRootHides() throws Exception {
    fx.core.mkdir("/.Trash-1000", 0700, 1000, 1000);
    fx.core.mkdir("/.Trash-1000/files", 0700, 1000, 1000);
    fx.writeFile("/.Trash-1000/files/old.txt", "gone");
    fx.writeFile("/.xdg-volume-info", "[Volume Info]");
    fx.writeFile("/notes.txt", "root file");
    fx.drain();
    assertTrue(fx.committed(FsFixture.RESERVED, ".Trash-1000/files/old.txt"));
    assertTrue(fx.committed(FsFixture.RESERVED, "notes.txt"));
    List<String> root = fx.list("/");
    assertTrue(root.containsAll(List.of("files", ".Trash-1000", ".xdg-volume-info", "notes.txt")));
    assertFalse(root.contains(FsFixture.RESERVED), root.toString());
    assertEquals("root file", fx.readFile("/notes.txt"));
    assertFalse(fx.core.getattr("/notes.txt").isDir());
    assertEquals(0700, fx.core.getattr("/.Trash-1000").mode() & 07777);
  }

  @Test
  void markerDirectory_keepsModeOwnerAndTimes() throws Exception {
    fx.core.mkdir("/files/d", 0750, 1000, 1001);
    fx.core.utimens("/files/d", 1_600_000_000_123_456_789L);
    fx.drain();
    Stat s = fx.core.getattr("/files/d");
    assertTrue(s.isDir());
    assertEquals(0750, s.mode() & 07777);
    assertEquals(1000, s.uid());
    assertEquals(1001, s.gid());
    assertEquals(1_600_000_000_123_456_789L, s.mtimeNanos());
    assertTrue(fx.committed(FsFixture.BUCKET, "d/"));
  }

  @Test
  void implicitDirectory_shows0755_andStaysWhenItsLastFileGoes() throws Exception {
    ObjectPath p = new ObjectPath(fx.alice.id(), FsFixture.BUCKET, "a/b/c.txt");
    try (FileHandle h =
        fx.cache.open(p, EnumSet.of(OpenFlag.CREATE), PosixAttributes.file(0100644, 1))) {
      h.write(0, ByteBuffer.wrap(new byte[] {1}));
    }
    fx.drain();
    Stat a = fx.core.getattr("/files/a");
    assertTrue(a.isDir());
    assertEquals(0755, a.mode() & 07777);
    assertEquals(List.of("b"), fx.list("/files/a"));
    fx.core.unlink("/files/a/b/c.txt");
    assertTrue(fx.core.getattr("/files/a/b").isDir(), "a/b stays after its last file");
    assertEquals(List.of(), fx.list("/files/a/b"));
  }

  @Test
  void fsync_returnsOnlyWhenCommitted() throws Exception {
    long fh = fx.core.create("/files/f", 0644, FsCore.O_CREAT | 01, 1, 1);
    fx.core.write(fh, 0, ByteBuffer.wrap("durable".getBytes(StandardCharsets.UTF_8)));
    assertFalse(fx.committed(FsFixture.BUCKET, "f"));
    fx.core.fsync(fh);
    assertTrue(fx.committed(FsFixture.BUCKET, "f"));
    assertEquals("durable", fx.committedText(FsFixture.BUCKET, "f"));
    fx.core.release(fh);
  }

  @Test
  void committedFile_readsThroughSegmentsAtAnyOffset() throws Exception {
    long seed = new SplittableRandom().nextLong();
    SplittableRandom r = new SplittableRandom(seed);
    byte[] data = new byte[(3 << 20) + 12345];
    r.nextBytes(data);
    long fh = fx.core.create("/files/big", 0644, FsCore.O_CREAT | 01, 1, 1);
    fx.core.write(fh, 0, ByteBuffer.wrap(data));
    fx.core.release(fh);
    fx.drain();
    long ro = fx.core.open("/files/big", 0);
    for (int i = 0; i < 50; i++) {
      int off = r.nextInt(data.length);
      int len = Math.min(r.nextInt(1, 300_000), data.length - off);
      ByteBuffer buf = ByteBuffer.allocate(len);
      while (buf.hasRemaining() && fx.core.read(ro, off + buf.position(), buf) > 0) {
        // until full
      }
      byte[] want = java.util.Arrays.copyOfRange(data, off, off + len);
      assertArrayEquals(want, buf.array(), "seed " + seed + " offset " + off + " length " + len);
    }
    fx.core.release(ro);
  }

  private static final int CHUNK = 64 * 1024;

  /** What a random read that misses fetches: the chunks of the aligned 256 KiB around it. */
  private static final int BLOCK = 256 * 1024;

  @Test
  void committedFile_randomReadsFetchRanges_streamingReadsLoadSegments() throws Exception {
    long seed = 77;
    SplittableRandom r = new SplittableRandom(seed);
    byte[] data = new byte[(3 << 20) + 5];
    r.nextBytes(data);
    long fh = fx.core.create("/files/db", 0644, FsCore.O_CREAT | 01, 1, 1);
    fx.core.write(fh, 0, ByteBuffer.wrap(data));
    fx.core.release(fh);
    fx.drain();
    fx.segments.invalidateAll();
    long ro = fx.core.open("/files/db", 0);
    java.util.Set<Integer> blocks = new java.util.HashSet<>();
    for (int i = 0; i < 40; i++) { // 4 KiB pages, each far from the last: no segment is loaded
      int off = ((i % 2) * (2 << 20) + r.nextInt(1 << 20)) & ~4095;
      blocks.add(off / BLOCK);
      ByteBuffer page = ByteBuffer.allocate(4096);
      assertEquals(4096, fx.core.read(ro, off, page));
      assertArrayEquals(
          java.util.Arrays.copyOfRange(data, off, off + 4096), page.array(), "offset " + off);
    }
    // only the 64 KiB chunks of the 256 KiB blocks holding the pages are cached (a chunk weighs
    // its bytes + 128; the 1 MiB segments hold whole blocks)
    assertEquals(
        blocks.size() * (BLOCK / CHUNK) * (CHUNK + 128L),
        fx.segments.weightedBytes(),
        "seed " + seed + ": random reads loaded whole segments");
    fx.core.release(ro);
    ro = fx.core.open("/files/db", 0);
    ByteBuffer all = ByteBuffer.allocate(data.length);
    for (int pos = 0; pos < data.length; ) { // cat: from the start, in order
      ByteBuffer part = all.slice(pos, Math.min(128 * 1024, data.length - pos));
      pos += fx.core.read(ro, pos, part);
    }
    assertArrayEquals(data, all.array());
    assertTrue(fx.segments.weightedBytes() > 0, "a streaming read caches segments");
    fx.core.release(ro);
  }

  @Test
  void openWithTruncAndAppend() throws Exception {
    fx.writeFile("/files/f", "hello");
    long fh = fx.core.open("/files/f", 01 | FsCore.O_APPEND);
    fx.core.write(fh, 0, ByteBuffer.wrap(" world".getBytes(StandardCharsets.UTF_8)));
    fx.core.release(fh);
    assertEquals("hello world", fx.readFile("/files/f"));
    fh = fx.core.open("/files/f", 01 | FsCore.O_TRUNC);
    fx.core.release(fh);
    assertEquals(0, fx.core.getattr("/files/f").size());
  }

  @Test
  void randomWrites_andTruncate() throws Exception {
    fx.writeFile("/files/f", "0123456789");
    fx.drain();
    long fh = fx.core.open("/files/f", 02);
    fx.core.write(fh, 3, ByteBuffer.wrap("abc".getBytes(StandardCharsets.UTF_8)));
    fx.core.ftruncate(fh, 8);
    assertEquals(8, fx.core.fgetattr("/files/f", fh).size());
    fx.core.release(fh);
    assertEquals("012abc67", fx.readFile("/files/f"));
    fx.core.truncate("/files/f", 2);
    assertEquals("01", fx.readFile("/files/f"));
  }

  @Test
  void symlink_storesItsTarget() throws Exception {
    fx.core.symlink("../some/target", "/files/link", 1, 1);
    fx.drain();
    Stat s = fx.core.getattr("/files/link");
    assertTrue(s.isSymlink());
    assertEquals("../some/target".length(), s.size());
    assertEquals("../some/target", fx.core.readlink("/files/link"));
  }

  @Test
  void chmodChown_keepTheType_andMinusOneKeepsTheId() throws Exception {
    fx.writeFile("/files/f", "x");
    fx.drain();
    fx.core.chmod("/files/f", 0600);
    fx.core.chown("/files/f", 42, FsCore.UNCHANGED_ID);
    Stat s = fx.core.getattr("/files/f");
    assertEquals(Attrs.S_IFREG | 0600, s.mode());
    assertEquals(42, s.uid());
    assertEquals(FsFixture.GID, s.gid());
  }

  @Test
  void chmodOnBucketAndRoot_succeedAndChangeNothing() throws Exception {
    fx.core.chmod("/files", 0700);
    fx.core.utimens("/", 5);
    assertEquals(0755, fx.core.getattr("/files").mode() & 07777);
  }

  @Test
  void userXattrs_setGetListRemove_onFilesAndFolders() throws Exception {
    fx.writeFile("/files/f", "x");
    fx.core.setxattr("/files/f", "user.tag", "blue".getBytes(StandardCharsets.UTF_8), 0);
    fx.drain();
    fx.core.setxattr("/files/f", "user.other", new byte[] {7}, 0);
    assertEquals(
        "blue", new String(fx.core.getxattr("/files/f", "user.tag"), StandardCharsets.UTF_8));
    assertEquals(List.of("user.other", "user.tag"), fx.core.listxattr("/files/f"));
    fx.core.removexattr("/files/f", "user.tag");
    assertEquals(List.of("user.other"), fx.core.listxattr("/files/f"));
    fx.core.mkdir("/files/d", 0755, 1, 1);
    fx.core.setxattr("/files/d", "user.d", new byte[] {1}, 0);
    assertArrayEquals(new byte[] {1}, fx.core.getxattr("/files/d", "user.d"));
  }

  @Test
  void statfs_reportsPurchasedAndFreeSpace() throws Exception {
    FsStatfs s = fx.core.statfs();
    assertEquals((1L << 30) / FsStatfs.BLOCK, s.blocks());
    assertEquals(s.blocks(), s.freeBlocks());
  }

  @Test
  void folderRename_withPendingFiles_movesEverythingInOneLedgerCall() throws Exception {
    fx.core.mkdir("/files/d", 0755, 1, 1);
    fx.core.mkdir("/files/d/sub", 0755, 1, 1);
    fx.writeFile("/files/d/one", "1");
    fx.writeFile("/files/d/sub/two", "2");
    fx.core.rename("/files/d", "/files/e");
    assertEquals(List.of("one", "sub"), fx.list("/files/e"));
    assertEquals(List.of("files"), fx.list("/").subList(0, 1));
    assertFalse(fx.core.getattr("/files/e/one").isDir());
    assertTrue(fx.committed(FsFixture.BUCKET, "e/one"));
    assertTrue(fx.committed(FsFixture.BUCKET, "e/sub/two"));
    assertFalse(fx.committed(FsFixture.BUCKET, "d/one"));
    assertEquals("2", fx.readFile("/files/e/sub/two"));
    assertEquals(List.of("e"), fx.list("/files"));
  }

  @Test
  void folderRename_ontoEmptyFolder_replacesIt() throws Exception {
    fx.core.mkdir("/files/a", 0755, 1, 1);
    fx.writeFile("/files/a/f", "x");
    fx.core.mkdir("/files/b", 0755, 1, 1);
    fx.core.rename("/files/a", "/files/b");
    assertEquals(List.of("b"), fx.list("/files"));
    assertEquals("x", fx.readFile("/files/b/f"));
  }

  @Test
  void fileRename_ofCommittedFile_keepsMtimeAndMovesNoData() throws Exception {
    fx.writeFile("/files/f", "data");
    fx.core.utimens("/files/f", 1_500_000_000_000_000_000L);
    fx.drain();
    long version = fx.record(FsFixture.BUCKET, "f").version();
    fx.core.rename("/files/f", "/files/g");
    assertEquals(version, fx.record(FsFixture.BUCKET, "g").version());
    assertEquals(1_500_000_000_000_000_000L, fx.core.getattr("/files/g").mtimeNanos());
    assertFalse(fx.committed(FsFixture.BUCKET, "f"));
  }

  @Test
  void singleBucketMount_showsTheBucketAsRoot(@TempDir Path other) throws Exception {
    try (FsFixture one = new FsFixture(other, FsFixture.BUCKET, 1)) {
      one.writeFile("/.hidden", "h");
      one.core.mkdir("/Docs", 0755, 1, 1);
      one.drain();
      assertTrue(one.committed(FsFixture.BUCKET, ".hidden"));
      assertTrue(one.committed(FsFixture.BUCKET, "Docs/"));
      assertEquals(List.of(".hidden", "Docs"), one.list("/"));
    }
  }
}
