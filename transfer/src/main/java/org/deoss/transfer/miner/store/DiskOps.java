package org.deoss.transfer.miner.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The three steps that make a written fragment durable, apart so that tests can record their order
 * or fail them: force the temp file, rename it into place, force its directory. {@link #REAL} does
 * them on the disk.
 */
interface DiskOps {
  DiskOps REAL =
      new DiskOps() {
        @Override
        public void force(Path temp, FileChannel channel) throws IOException {
          channel.force(true);
        }

        @Override
        public void rename(Path temp, Path target) throws IOException {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
          Layout.syncDirectory(dir);
        }
      };

  /** Forces the contents and metadata of {@code temp}, open as {@code channel}, to the disk. */
  void force(Path temp, FileChannel channel) throws IOException;

  /** Renames {@code temp} to {@code target} atomically. */
  void rename(Path temp, Path target) throws IOException;

  /** Forces the entries of {@code dir} to the disk. */
  void syncDirectory(Path dir) throws IOException;
}
