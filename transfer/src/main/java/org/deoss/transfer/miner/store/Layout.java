package org.deoss.transfer.miner.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * </pre>
 */
final class Layout {
  private static final Logger LOG = LoggerFactory.getLogger(Layout.class);
  static final String FORMAT_LINE = "deoss-fragment-store 1";

  final Path root;
  final Path fragments;
  final Path tmp;
  final Path quarantine;
  final Path format;
  final Path lock;

  /** Fan-out directories known to be on disk; grows to at most 65,792 paths. */
  private final Set<Path> durableDirs = ConcurrentHashMap.newKeySet();

  Layout(Path root) {
    this.root = root;
    this.fragments = root.resolve("fragments");
    this.tmp = root.resolve("tmp");
    this.quarantine = root.resolve("quarantine");
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
   * Makes sure {@code dir} (a fan-out directory under {@code fragments/}) exists and that its
   * entry, and its parents' entries, are on disk: a fragment renamed into it then survives a crash
   * once {@code dir} itself is forced. Directories are made under one lock and remembered once
   * durable, so a thread never relies on a directory another thread has made but not yet forced.
   */
  void ensureDurableDirectory(Path dir) throws IOException {
    if (durableDirs.contains(dir)) {
      return;
    }
    synchronized (durableDirs) {
      if (durableDirs.contains(dir)) {
        return;
      }
      Path parent = dir.getParent();
      if (!parent.equals(fragments)) {
        ensureDurableDirectory(parent);
      }
      if (!Files.isDirectory(dir)) {
        Files.createDirectory(dir);
      }
      syncDirectory(parent);
      durableDirs.add(dir);
    }
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
