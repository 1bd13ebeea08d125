package org.deoss.transfer.protocol;

import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;

/**
 * The code carried by an ERROR frame. Codes 1 to 7 map one-to-one to {@link
 * FragmentStoreException.Reason}; the others are failures of the protocol itself, which a client
 * sees as {@link Reason#PROTOCOL} (or {@link Reason#UNAVAILABLE} where retrying elsewhere helps).
 */
public enum ErrorCode {
  NOT_FOUND(1, Reason.NOT_FOUND),
  HASH_MISMATCH(2, Reason.HASH_MISMATCH),
  BAD_RANGE(3, Reason.BAD_RANGE),
  CAPACITY_EXCEEDED(4, Reason.CAPACITY_EXCEEDED),
  UNAVAILABLE(5, Reason.UNAVAILABLE),
  PROTOCOL(6, Reason.PROTOCOL),
  IO(7, Reason.IO),
  /** A frame could not be parsed (bad magic, short payload, bad field). Closes the connection. */
  MALFORMED_FRAME(16, Reason.PROTOCOL),
  /** A frame's declared payload exceeds the receiver's maximum. Closes the connection. */
  FRAME_TOO_LARGE(17, Reason.PROTOCOL),
  /** An unknown frame type, or one not valid in this direction or state. Closes the connection. */
  UNKNOWN_TYPE(18, Reason.PROTOCOL),
  /** A request before the handshake completed. Closes the connection. */
  NOT_AUTHENTICATED(19, Reason.PROTOCOL),
  /** A bad handshake signature, or an account the miner does not admit. Closes the connection. */
  AUTH_FAILED(20, Reason.PROTOCOL),
  /** No protocol version in common. Closes the connection. */
  UNSUPPORTED_VERSION(21, Reason.PROTOCOL),
  /** The connection's upload window is full; the request may be retried later. */
  BUSY(22, Reason.UNAVAILABLE),
  /** A step did not finish in time (handshake, upload). */
  TIMEOUT(23, Reason.UNAVAILABLE),
  /** The miner refuses to delete a fragment the ledger still references. */
  DELETE_REFUSED(24, Reason.PROTOCOL);

  private final int code;
  private final Reason reason;

  ErrorCode(int code, Reason reason) {
    this.code = code;
    this.reason = reason;
  }

  /** The 16-bit code on the wire. */
  public int code() {
    return code;
  }

  /** What a client reports for this code. */
  public Reason reason() {
    return reason;
  }

  /** The code of a store failure reason (one-to-one). */
  public static ErrorCode of(Reason reason) {
    return switch (reason) {
      case NOT_FOUND -> NOT_FOUND;
      case HASH_MISMATCH -> HASH_MISMATCH;
      case BAD_RANGE -> BAD_RANGE;
      case CAPACITY_EXCEEDED -> CAPACITY_EXCEEDED;
      case UNAVAILABLE -> UNAVAILABLE;
      case PROTOCOL -> PROTOCOL;
      case IO -> IO;
    };
  }

  /** The code with wire value {@code code}, or {@link #PROTOCOL} for an unknown value. */
  public static ErrorCode ofCode(int code) {
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return PROTOCOL;
  }
}
