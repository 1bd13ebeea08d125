package org.deoss.core.pipeline;

import java.io.IOException;

/** A write could not store enough fragments of a segment; the message says which and why. */
public final class ObjectWriteException extends IOException {
  private static final long serialVersionUID = 1L;

  public ObjectWriteException(String message) {
    super(message);
  }

  public ObjectWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
