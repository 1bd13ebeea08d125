package org.deoss.fs;

import java.io.IOException;

/**
 * A file-system operation failed with a specific POSIX error. The core throws only this type for
 * the failures it decides itself; the boundary returns {@link #errno()} to the kernel.
 */
final class FsException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int errno;

  /**
   * @param errno the positive error number (from {@link ru.serce.jnrfuse.ErrorCodes})
   */
  FsException(int errno, String message) {
    super(message);
    this.errno = errno;
  }

  int errno() {
    return errno;
  }
}
