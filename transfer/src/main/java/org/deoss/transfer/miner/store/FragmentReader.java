package org.deoss.transfer.miner.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;

/**
 * An open stored fragment, from {@link DiskFragmentStore#openReader}. Reads are positional, so one
 * reader may serve several threads at once. A fragment deleted while a reader is open stays
 * readable through it (POSIX unlink semantics) until the reader is closed.
 */
public final class FragmentReader implements AutoCloseable {
  private final Hash256 id;
  private final Path path;
  private final FileChannel channel;
  private final long base;
  private final long size;

  FragmentReader(Hash256 id, Path path, FileChannel channel, long size) {
    this(id, path, channel, 0, size);
  }

  /** A reader of the {@code size} bytes at {@code base} of {@code channel} (a packed fragment). */
  FragmentReader(Hash256 id, Path path, FileChannel channel, long base, long size) {
    this.id = id;
    this.path = path;
    this.channel = channel;
    this.base = base;
    this.size = size;
  }

  /** Where the fragment starts in {@link #channel()}: 0 for a fragment file, more when packed. */
  public long base() {
    return base;
  }

  /** The fragment's id. */
  public Hash256 id() {
    return id;
  }

  /** The fragment's length in bytes. */
  public long size() {
    return size;
  }

  /**
   * The open read-only channel, for zero-copy transfer (for example a Netty {@code
   * DefaultFileRegion}); owned by this reader: use positional calls only, do not close it. The
   * fragment's byte {@code i} is at {@link #base()}{@code + i}.
   */
  public FileChannel channel() {
    return channel;
  }

  /**
   * Fills {@code dst} from {@code position} of the fragment.
   *
   * @throws FragmentStoreException {@link Reason#BAD_RANGE} when {@code [position, position +
   *     dst.remaining())} is not inside the fragment; {@link Reason#IO} on a read error
   */
  public void read(long position, ByteBuffer dst) {
    checkRange(position, dst.remaining());
    try {
      long at = base + position;
      while (dst.hasRemaining()) {
        int n = channel.read(dst, at);
        if (n < 0) {
          throw new FragmentStoreException(
              Reason.IO,
              id,
              "file " + path + " ended at " + at + ", expected " + (base + size) + " bytes");
        }
        at += n;
      }
    } catch (IOException e) {
      throw Errors.io(id, "reading", path, e);
    }
  }

  /**
   * Sends {@code count} bytes from {@code position} to {@code target}, blocking until all are
   * written (a non-blocking target that accepts nothing is retried: use a blocking channel).
   *
   * @throws FragmentStoreException {@link Reason#BAD_RANGE} outside the fragment; {@link Reason#IO}
   *     on a read or write error
   */
  public void transferTo(long position, long count, WritableByteChannel target) {
    checkRange(position, count);
    try {
      long at = base + position;
      long end = base + position + count;
      while (at < end) {
        at += channel.transferTo(at, end - at, target);
      }
    } catch (IOException e) {
      throw Errors.io(id, "sending", path, e);
    }
  }

  void checkRange(long position, long count) {
    if (position < 0 || count < 0 || position > size - count) {
      throw new FragmentStoreException(
          Reason.BAD_RANGE,
          id,
          "range ["
              + position
              + ", "
              + (position + count)
              + ") outside the "
              + size
              + " bytes of "
              + path);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // a read-only channel has nothing to flush
    }
  }
}
