package org.deoss.transfer.miner.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening an existing data folder: remove leftover temp files, index every fragment (id → length),
 * and with {@link StartupCheck#VERIFY} quarantine fragments whose bytes no longer match their name.
 * Runs once, on the opening thread, before the store is shared. Memory: the index only; files are
 * visited as a stream and verified through one 1 MiB buffer.
 */
final class Rescan {
  private static final Logger LOG = LoggerFactory.getLogger(Rescan.class);
  private static final int VERIFY_BUFFER = 1 << 20;
  private static final AtomicLong QUARANTINE_SEQ = new AtomicLong();

  private final Layout layout;
  private final StartupCheck check;
  private final Map<Hash256, Long> index;
  private byte[] buffer;
  private long bytes;
  private long quarantined;
  private long unknown;

  Rescan(Layout layout, StartupCheck check, Map<Hash256, Long> index) {
    this.layout = layout;
    this.check = check;
    this.index = index;
  }

  OpenReport run() throws IOException {
    long temps = removeTempFiles();
    try (Stream<Path> files = Files.walk(layout.fragments)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        visit(file);
      }
    }
    return new OpenReport(index.size(), bytes, quarantined, temps, unknown);
  }

  private long removeTempFiles() throws IOException {
    long removed = 0;
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(layout.tmp)) {
      for (Path temp : temps) {
        Files.delete(temp);
        LOG.info("removed the temp file {} of an unfinished put", temp);
        removed++;
      }
    }
    if (removed > 0) {
      Layout.syncDirectory(layout.tmp);
    }
    return removed;
  }

  private void visit(Path file) throws IOException {
    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
    if (attrs.isDirectory()) {
      return;
    }
    Optional<Hash256> id = layout.idOf(file);
    if (id.isEmpty() || !attrs.isRegularFile()) {
      LOG.warn("{} is not a fragment (name or place); left alone", file);
      unknown++;
      return;
    }
    if (check == StartupCheck.VERIFY) {
      if (buffer == null) {
        buffer = new byte[VERIFY_BUFFER];
      }
      Hash256 actual = rootOf(file, buffer);
      if (!actual.equals(id.get())) {
        Path to = quarantine(layout, file, id.get());
        LOG.warn(
            "fragment {} at {} has root {}: its bytes changed on disk; moved to {}",
            id.get(),
            file,
            actual,
            to);
        quarantined++;
        return;
      }
    }
    index.put(id.get(), attrs.size());
    bytes += attrs.size();
  }

  /** The Merkle root of a file's bytes, read through {@code buffer}. */
  static Hash256 rootOf(Path file, byte[] buffer) throws IOException {
    FragmentMerkle.Builder root = FragmentMerkle.builder();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.wrap(buffer);
      int n;
      while ((n = ch.read(b.clear())) >= 0) {
        root.update(buffer, 0, n);
      }
    }
    return root.finish();
  }

  /** Moves a damaged fragment to {@code quarantine/<hex>.<n>}, never replacing an earlier one. */
  static Path quarantine(Layout layout, Path file, Hash256 id) throws IOException {
    while (true) {
      Path to = layout.quarantine.resolve(id.toHex() + "." + QUARANTINE_SEQ.incrementAndGet());
      if (Files.exists(to)) {
        continue;
      }
      Files.move(file, to, StandardCopyOption.ATOMIC_MOVE);
      Layout.syncDirectory(layout.quarantine);
      Layout.syncDirectory(file.getParent());
      return to;
    }
  }
}
