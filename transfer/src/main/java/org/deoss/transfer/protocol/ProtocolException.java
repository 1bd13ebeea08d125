package org.deoss.transfer.protocol;

/** A peer broke the protocol; carries the code to send in the ERROR frame. */
public final class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public ProtocolException(ErrorCode code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
