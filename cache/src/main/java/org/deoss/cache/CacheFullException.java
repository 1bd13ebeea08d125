package org.deoss.cache;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The disk under the cache directory is full: a write or a staging fill could not be stored.
 * Nothing already written is dropped; the caller may retry once uploads or the user free space.
 */
public final class CacheFullException extends IOException {
  private static final long serialVersionUID = 1L;

  public CacheFullException(Path cacheDir, IOException cause) {
    super("no space left in the cache directory " + cacheDir + ": " + cause.getMessage(), cause);
  }

  /** Whether {@code e} reports a full disk (ENOSPC or a quota). */
  static boolean isDiskFull(IOException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("No space left") || m.contains("Disk quota exceeded");
  }
}
