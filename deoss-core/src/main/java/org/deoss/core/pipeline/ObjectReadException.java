package org.deoss.core.pipeline;

import java.io.IOException;

/**
 * A read could not gather k healthy fragments of a segment, or the data failed authentication; the
 * message names the segment and what happened to each fragment tried.
 */
public final class ObjectReadException extends IOException {
  private static final long serialVersionUID = 1L;

  public ObjectReadException(String message) {
    super(message);
  }

  public ObjectReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
