package org.deoss.transfer.miner.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.deoss.core.hash.Hash256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where things live in a data folder, and which fan-out directories are known to be on disk.
 * Thread-safe.
 *
 * <pre>
 *   ROOT/
 *     FORMAT                    "deoss-fragment-store 1"
 *     .lock                     held (FileChannel lock) while a store has the folder open
 *     fragments/ab/cd/abcd…     one file per fragment, named by its 64-hex id
 *     tmp/abcd….N.tmp           puts in progress; deleted when the store opens
 *     quarantine/abcd….N        fragments whose bytes no longer match their name
 *     packs/00000001.pack       small fragments packed in append-only logs ({@link PackLog})
 * </pre>
 */
final class Layout {
  private static final Logger LOG = LoggerFactory.getLogger(Layout.class);
  static final String FORMAT_LINE = "deoss-fragment-store 1";

  final Path root;
  final Path fragments;
  final Path tmp;
  final Path quarantine;
  final Path packs;
  final Path format;
  final Path lock;

  /** Fan-out directories known to be on disk; grows to at most 65,792 paths. */
  private final Set<Path> durableDirs = ConcurrentHashMap.newKeySet();

  Layout(Path root) {
    this.root = root;
    this.fragments = root.resolve("fragments");
    this.tmp = root.resolve("tmp");
    this.quarantine = root.resolve("quarantine");
    this.packs = root.resolve("packs");
    this.format = root.resolve("FORMAT");
    this.lock = root.resolve(".lock");
  }

  /** The final path of a fragment: {@code fragments/ab/cd/abcd…}. */
  Path pathOf(Hash256 id) {
    String hex = id.toHex();
    return fragments.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
  }

  /**
   * The id named by a file under {@code fragments/}, if its name is 64 lowercase hex characters and
   * it sits in the fan-out directories its name calls for.
   */
  Optional<Hash256> idOf(Path file) {
    String name = file.getFileName().toString();
    if (name.length() != 2 * Hash256.LENGTH || !isLowerHex(name)) {
      return Optional.empty();
    }
    Hash256 id = Hash256.ofHex(name);
    return pathOf(id).equals(file) ? Optional.of(id) : Optional.empty();
  }

  private static boolean isLowerHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Makes the fan-out directory {@code dir} (and its parent under {@code fragments/}) if missing,
   * without forcing anything: returns the directories not yet known to be on disk, leaf first. The
   * caller forces the parent of each (their entries) before it relies on them, then calls {@link
   * #markDurable}. Thread-safe: several puts may make or force the same directory at once; each
   * forces what it has not seen marked durable.
   */
  List<Path> makeDirectory(Path dir) throws IOException {
    List<Path> pending = new ArrayList<>(2);
    for (Path d = dir; !d.equals(fragments); d = d.getParent()) {
      if (durableDirs.contains(d)) {
        break;
      }
      pending.add(d);
    }
    for (int i = pending.size() - 1; i >= 0; i--) {
      try {
        Files.createDirectory(pending.get(i));
      } catch (FileAlreadyExistsException e) {
        // made before (by another put, or before a restart)
      }
    }
    return pending;
  }

  /** Records that {@code dir}'s entry in its parent is on disk. */
  void markDurable(Path dir) {
    durableDirs.add(dir);
  }

  /** Forces a directory's entries to disk (where the platform allows it). */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (UnsupportedOperationException e) {
      LOG.debug("cannot force directory {} on this platform: {}", dir, e.toString());
    }
  }
}
