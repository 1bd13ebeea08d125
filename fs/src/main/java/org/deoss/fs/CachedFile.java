package org.deoss.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.deoss.cache.FileHandle;
import org.deoss.core.ledger.PosixAttributes;

/**
 * An open file backed by a write-back cache handle (every open for writing, or of a pending file).
 */
final class CachedFile implements OpenFile {
  private final FsPath path;
  private final FileHandle handle;
  private final boolean append;

  CachedFile(FsPath path, FileHandle handle, boolean append) {
    this.path = path;
    this.handle = handle;
    this.append = append;
  }

  @Override
  public FsPath path() {
    return path;
  }

  @Override
  public int read(long offset, ByteBuffer dst) throws IOException {
    int n = handle.read(offset, dst);
    return Math.max(n, 0);
  }

  @Override
  public void write(long offset, ByteBuffer src) throws IOException {
    if (append) {
      handle.append(src);
    } else {
      handle.write(offset, src);
    }
  }

  @Override
  public void truncate(long size) throws IOException {
    handle.truncate(size);
  }

  @Override
  public void fsync() throws IOException {
    handle.fsync();
  }

  @Override
  public long size() {
    return handle.size();
  }

  @Override
  public PosixAttributes attributes() {
    return handle.attributes();
  }

  @Override
  public FileHandle cacheHandle() {
    return handle;
  }

  @Override
  public void close() throws IOException {
    handle.close();
  }
}
