package org.deoss.core.crypto;

/**
 * Encrypted data did not authenticate: it was altered, truncated, reordered, moved from another
 * segment or object, or is being opened with the wrong key. The message names the segment and chunk
 * (or the wrapped key) that failed. Never carries plaintext.
 */
public final class TamperedDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An authentication failure described by {@code message}. */
  public TamperedDataException(String message) {
    super(message);
  }

  /** An authentication failure described by {@code message}, caused by {@code cause}. */
  public TamperedDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
