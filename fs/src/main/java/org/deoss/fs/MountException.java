package org.deoss.fs;

import java.io.IOException;

/**
 * A mount or unmount could not be done; the message says why in the user's terms (the mount point
 * is live, the cache directory is held by another mount, libfuse refused, the mount is busy).
 */
public final class MountException extends IOException {
  private static final long serialVersionUID = 1L;

  public MountException(String message) {
    super(message);
  }

  public MountException(String message, Throwable cause) {
    super(message, cause);
  }
}
