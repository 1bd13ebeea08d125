package org.deoss.core.ledger.codec;

/**
 * Malformed bytes: a truncated or over-long field, a bad tag, trailing bytes, or a value that
 * breaks its type's rules. The message names the field and the offset.
 */
public final class CodecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
