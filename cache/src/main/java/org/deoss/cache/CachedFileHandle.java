package org.deoss.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.UnaryOperator;
import org.deoss.core.ledger.PosixAttributes;

/** A handle on an entry of {@link DefaultWriteBackCache}; closing it twice is harmless. */
final class CachedFileHandle implements FileHandle {
  private final DefaultWriteBackCache cache;
  private final Entry e;
  private volatile boolean released;

  CachedFileHandle(DefaultWriteBackCache cache, Entry e) {
    this.cache = cache;
    this.e = e;
  }

  @Override
  public ObjectPath path() {
    return e.path;
  }

  @Override
  public int read(long offset, ByteBuffer dst) throws IOException {
    check();
    return cache.read(e, offset, dst);
  }

  @Override
  public void write(long offset, ByteBuffer src) throws IOException {
    check();
    if (offset < 0) {
      throw new IllegalArgumentException("write offset " + offset + " is negative");
    }
    cache.write(e, offset, src);
  }

  @Override
  public long append(ByteBuffer src) throws IOException {
    check();
    return cache.write(e, -1, src);
  }

  @Override
  public long size() {
    return e.size;
  }

  @Override
  public void truncate(long size) throws IOException {
    check();
    cache.truncate(e, size);
  }

  @Override
  public PosixAttributes attributes() {
    return e.attributes;
  }

  @Override
  public void setAttributes(UnaryOperator<PosixAttributes> change) throws IOException {
    check();
    cache.setAttributes(e, change);
  }

  @Override
  public void fsync() throws IOException {
    check();
    cache.flushAndWait(e);
  }

  @Override
  public void acknowledge() throws IOException {
    check();
    cache.acknowledge(e);
  }

  @Override
  public void close() throws IOException {
    if (!released) {
      released = true;
      cache.release(e);
    }
  }

  private void check() throws IOException {
    if (released) {
      throw new IOException("handle of " + e.path + " is closed");
    }
  }
}
