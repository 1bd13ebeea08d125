package org.deoss.core.access;

/** The account asking has no way to open an object's data key. */
public final class NotAReaderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotAReaderException(String message) {
    super(message);
  }

  public NotAReaderException(String message, Throwable cause) {
    super(message, cause);
  }
}
