package org.deoss.tests.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tree generator and the differ the mount tests rely on, checked on plain local folders. */
class TreeDiffTest {
  private static final long SEED = 7L;
  private static final TreeGenerator.Spec SPEC = new TreeGenerator.Spec(60, 10, List.of(1), 6);

  @TempDir Path dir;
  private Path a;
  private Path b;
  private List<Path> files;

  @BeforeEach
  void twoTreesFromOneSeed() throws IOException {
    a = dir.resolve("a");
    b = dir.resolve("b");
    TreeGenerator.generate(a, SPEC, SEED);
    files = TreeGenerator.generate(b, SPEC, SEED);
  }

  private String diff() throws IOException {
    return TreeDiff.describe(a, b, TreeDiff.all());
  }

  @Test
  void generate_sameSeed_givesIdenticalTrees() throws IOException {
    assertEquals("", diff());
    try (var links = Files.list(b.resolve("links"))) {
      assertEquals(6, links.filter(Files::isSymbolicLink).count());
    }
  }

  @Test
  void generate_otherSeed_differs() throws IOException {
    Path c = dir.resolve("c");
    TreeGenerator.generate(c, SPEC, SEED + 1);
    assertTrue(!TreeDiff.describe(a, c, TreeDiff.all()).isEmpty());
  }

  @Test
  void differences_oneFlippedByte_namesThePathAndBothHashes() throws IOException {
    Path victim = files.stream().filter(f -> sizeOf(f) > 0).findFirst().orElseThrow();
    byte[] data = Files.readAllBytes(victim);
    data[data.length / 2] ^= 1;
    FileTime mtime = Files.getLastModifiedTime(victim);
    try (FileChannel ch = FileChannel.open(victim, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(data), 0);
    }
    Files.setLastModifiedTime(victim, mtime);
    String d = diff();
    assertTrue(d.contains(b.relativize(victim) + ": sha256 "), d);
    assertTrue(d.contains("same size " + data.length), d);
  }

  @Test
  void differences_truncatedFile_reportsExpectedAndActualSize() throws IOException {
    Path victim = files.stream().filter(f -> sizeOf(f) > 1).findFirst().orElseThrow();
    long size = sizeOf(victim);
    try (FileChannel ch = FileChannel.open(victim, StandardOpenOption.WRITE)) {
      ch.truncate(size - 1);
    }
    String d = diff();
    assertTrue(d.contains(": size " + size + " expected, found " + (size - 1)), d);
  }

  @Test
  void differences_modeMtimeSymlinkAndMissingFile_areEachReported() throws IOException {
    Files.setPosixFilePermissions(files.get(1), PosixFilePermissions.fromString("rwx------"));
    Files.setLastModifiedTime(files.get(2), FileTime.fromMillis(1234));
    Path link = b.resolve("links").resolve("link-0");
    Files.delete(link);
    Files.createSymbolicLink(link, Path.of("elsewhere"));
    Files.delete(files.get(3));
    String d = diff();
    assertTrue(d.contains(b.relativize(files.get(1)) + ": mode "), d);
    assertTrue(d.contains(b.relativize(files.get(2)) + ": mtime "), d);
    assertTrue(d.contains("links/link-0: symlink to "), d);
    assertTrue(d.contains(b.relativize(files.get(3)) + ": missing from "), d);
  }

  @Test
  void differences_extraEntry_isReported() throws IOException {
    Files.writeString(b.resolve("extra.txt"), "x");
    assertTrue(diff().contains("extra.txt: not in "), diff());
  }

  private static long sizeOf(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
