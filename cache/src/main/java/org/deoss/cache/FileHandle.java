package org.deoss.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.UnaryOperator;
import org.deoss.core.ledger.PosixAttributes;

/**
 * One open file of the write-back cache. Reads see every write made through any handle of the same
 * object at once. Thread-safe; calls on several handles of one object are serialized per call.
 *
 * <p>Writes may block: while the object is being uploaded (its bytes are frozen for the upload),
 * and while the cache holds its bound of dirty bytes (backpressure). They never fail because the
 * bound is reached.
 */
public interface FileHandle extends AutoCloseable {

  /** The object this handle writes. */
  ObjectPath path();

  /**
   * Reads up to {@code dst.remaining()} bytes at {@code offset}; returns the count, -1 at or past
   * the end.
   */
  int read(long offset, ByteBuffer dst) throws IOException;

  /**
   * Writes all of {@code src} at {@code offset} (a gap past the end reads as zeros) and stamps the
   * mtime with the cache's clock.
   *
   * @throws CacheFullException when the cache disk is full
   */
  void write(long offset, ByteBuffer src) throws IOException;

  /** Writes all of {@code src} at the current end ({@code O_APPEND}); returns where it went. */
  long append(ByteBuffer src) throws IOException;

  /** The current size, with local writes. */
  long size();

  /** Cuts or extends (with zeros) to {@code size} bytes. */
  void truncate(long size) throws IOException;

  /** The attributes as they will be committed (mtime of the last write, or as set). */
  PosixAttributes attributes();

  /**
   * Changes attributes (chmod, chown, utimens, xattrs). An mtime set here is committed as is: the
   * flush never stamps a time of its own, only a later write does.
   */
  void setAttributes(UnaryOperator<PosixAttributes> change) throws IOException;

  /**
   * Uploads and commits now; returns only when the ledger holds the new version durably.
   *
   * @throws VersionConflictException when the object changed on the ledger since it was opened
   * @throws IOException when the upload or commit failed (the bytes stay cached and are retried)
   */
  void fsync() throws IOException;

  /**
   * Acknowledges the bytes written so far as {@link #close} does (a sealed journal record: from
   * here they survive a crash of the process), without releasing the handle or starting an upload.
   * A file system calls it on every close(2) of a descriptor: FUSE answers close(2) after its FLUSH
   * request, while the RELEASE that ends the handle comes later and asynchronously, so a crash in
   * between must not lose what the program saw closed.
   */
  void acknowledge() throws IOException;

  /**
   * Releases the handle. When it was the last one and the object is dirty, a sealed journal record
   * of its bytes is written first, then an upload is scheduled after the configured delay. Once
   * this returns, the file survives a crash of the process (not a power loss before its upload:
   * that is what {@link #fsync} is for).
   */
  @Override
  void close() throws IOException;
}
