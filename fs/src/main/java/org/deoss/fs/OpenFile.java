package org.deoss.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.deoss.core.ledger.PosixAttributes;

/** One open file of the mount: a write-back cache handle, or a read-only view of a commit. */
interface OpenFile {
  FsPath path();

  /** Reads at {@code offset} into {@code dst}; returns the count, 0 at the end. */
  int read(long offset, ByteBuffer dst) throws IOException;

  /** Writes all of {@code src} at {@code offset} (at the end for O_APPEND). */
  void write(long offset, ByteBuffer src) throws IOException;

  void truncate(long size) throws IOException;

  /** Returns once the file is committed on the ledger. */
  void fsync() throws IOException;

  long size();

  PosixAttributes attributes();

  /** The write-back cache handle, or null for a read-only view. */
  org.deoss.cache.FileHandle cacheHandle();

  void close() throws IOException;
}
