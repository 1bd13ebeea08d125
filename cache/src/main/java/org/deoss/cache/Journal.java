package org.deoss.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal directory: one file {@code <id>.rec} per dirty entry, replaced atomically (write a
 * temporary file, rename it over the old one), so a crash of the process leaves either the old
 * record or the new one, never half of one. A {@linkplain Durability#MACHINE machine-durable} write
 * also fsyncs the file before the rename and the directory after it, so the record survives a power
 * loss too. A record torn by a power loss fails its CRC and is set aside on replay. Thread- safe
 * per id.
 */
final class Journal {
  private final Path dir;

  Journal(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  Path dir() {
    return dir;
  }

  Path file(String id) {
    return dir.resolve(id + ".rec");
  }

  /** What a journal write must survive once it returns. */
  enum Durability {
    /** A crash of the process (kill -9): the record is in the kernel's page cache. */
    PROCESS,
    /** A crash of the machine: the record is on the disk. */
    MACHINE
  }

  /** Writes {@code r}: once this returns, a restart after a crash of kind {@code d} reads it. */
  void write(JournalRecord r, Durability d) throws IOException {
    Path tmp = dir.resolve(r.id() + ".rec.tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(r.encode());
      while (b.hasRemaining()) {
        ch.write(b);
      }
      if (d == Durability.MACHINE) {
        ch.force(true);
      }
    }
    Files.move(tmp, file(r.id()), StandardCopyOption.ATOMIC_MOVE);
    if (d == Durability.MACHINE) {
      syncDir(dir);
    }
  }

  /** Removes the record of {@code id}; a missing record is fine. */
  void delete(String id) throws IOException {
    if (Files.deleteIfExists(file(id))) {
      syncDir(dir);
    }
  }

  /** Every record file, in name order; temporary files of an interrupted write are removed. */
  List<Path> files() throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.endsWith(".rec.tmp")) {
          Files.deleteIfExists(p);
        } else if (name.endsWith(".rec")) {
          out.add(p);
        }
      }
    }
    out.sort(null);
    return out;
  }

  static void syncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open or sync a directory; the rename is then as durable as
      // the file system makes it.
    }
  }
}
