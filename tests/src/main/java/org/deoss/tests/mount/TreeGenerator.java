package org.deoss.tests.mount;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Writes a reproducible tree of files: small files (0 B to 16 KiB) in nested folders, a few large
 * files, and symlinks (relative, to files and folders). Contents, modes (0600, 0644, 0755) and
 * mtimes (whole milliseconds in 2020-2025) all come from one seeded {@link SplittableRandom}, so
 * the same seed gives the same tree.
 */
public final class TreeGenerator {
  private static final long MIB = 1 << 20;
  private static final long EPOCH_2020 = 1_577_836_800_000L;
  private static final long FIVE_YEARS = 5L * 365 * 24 * 3600 * 1000;
  private static final List<Set<PosixFilePermission>> MODES =
      List.of(
          PosixFilePermissions.fromString("rw-r--r--"),
          PosixFilePermissions.fromString("rw-------"),
          PosixFilePermissions.fromString("rwxr-xr-x"));

  /**
   * What to generate.
   *
   * @param smallFiles how many files of 0 B to 16 KiB
   * @param filesPerFolder how many small files share a folder (folders nest three deep)
   * @param largeFileMib sizes of the large files in MiB
   * @param symlinks how many symlinks
   */
  public record Spec(int smallFiles, int filesPerFolder, List<Integer> largeFileMib, int symlinks) {
    public Spec {
      if (smallFiles < 1) {
        throw new IllegalArgumentException("smallFiles must be at least 1, got " + smallFiles);
      }
      if (filesPerFolder < 1) {
        throw new IllegalArgumentException(
            "filesPerFolder must be at least 1, got " + filesPerFolder);
      }
      if (symlinks < 0) {
        throw new IllegalArgumentException("symlinks must not be negative, got " + symlinks);
      }
      largeFileMib = List.copyOf(largeFileMib);
    }

    /** Issue 4's tree: 5,000 small files, 100 per folder, 10, 30 and 100 MiB files, 20 links. */
    public static Spec full() {
      return new Spec(5_000, 100, List.of(10, 30, 100), 20);
    }
  }

  private TreeGenerator() {}

  /** Writes the tree under {@code root} (created if missing); returns the small files written. */
  public static List<Path> generate(Path root, Spec spec, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    Files.createDirectories(root);
    List<Path> files = new ArrayList<>();
    List<Path> folders = new ArrayList<>();
    for (int i = 0; i < spec.smallFiles(); i++) {
      int folder = i / spec.filesPerFolder();
      Path dir =
          root.resolve("d" + (folder % 7)).resolve("e" + (folder / 7 % 11)).resolve("f" + folder);
      if (i % spec.filesPerFolder() == 0) {
        Files.createDirectories(dir);
        folders.add(dir);
      }
      Path file = dir.resolve("file-" + i + (i % 3 == 0 ? ".txt" : ".bin"));
      byte[] data = new byte[random.nextInt(16 * 1024 + 1)];
      random.nextBytes(data);
      Files.write(file, data);
      finish(file, random);
      files.add(file);
    }
    Path large = root.resolve("large");
    Files.createDirectories(large);
    for (int mib : spec.largeFileMib()) {
      Path file = large.resolve("large-" + mib + "MiB.dat");
      writeRandom(file, mib * MIB, random);
      finish(file, random);
    }
    Path links = root.resolve("links");
    Files.createDirectories(links);
    for (int i = 0; i < spec.symlinks(); i++) {
      Path target =
          i % 4 == 3
              ? folders.get(random.nextInt(folders.size()))
              : files.get(random.nextInt(files.size()));
      Files.createSymbolicLink(links.resolve("link-" + i), links.relativize(target));
    }
    return files;
  }

  /** Writes {@code size} seeded random bytes to {@code file} in 1 MiB pieces. */
  public static void writeRandom(Path file, long size, SplittableRandom random) throws IOException {
    byte[] buf = new byte[(int) MIB];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= buf.length) {
        random.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, left));
      }
    }
  }

  private static void finish(Path file, SplittableRandom random) throws IOException {
    Files.setPosixFilePermissions(file, MODES.get(random.nextInt(MODES.size())));
    long millis = EPOCH_2020 + random.nextLong(FIVE_YEARS);
    Files.setLastModifiedTime(file, FileTime.from(millis, TimeUnit.MILLISECONDS));
  }
}
