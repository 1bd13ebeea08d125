package org.deoss.cache;

import java.io.IOException;

/**
 * A flush found that the object changed on the ledger since the cache read it (another client wrote
 * it), or that a file created exclusively now exists. The local bytes are kept; nothing is retried
 * automatically.
 */
public final class VersionConflictException extends IOException {
  private static final long serialVersionUID = 1L;
  private final ObjectPath path;

  public VersionConflictException(ObjectPath path, String message, Throwable cause) {
    super(message, cause);
    this.path = path;
  }

  public ObjectPath path() {
    return path;
  }
}
