package org.deoss.transfer.protocol;

/**
 * The kinds of frame, by their one-byte code on the wire. See {@link Frame} for the header and
 * {@code docs/PROTOCOL.md} for every payload.
 */
public enum FrameType {
  /** Client to miner, first frame: versions, client nonce, client account. */
  HELLO(0x01),
  /** Miner to client: chosen version, miner nonce, miner account, miner signature, limits. */
  HELLO_ACK(0x02),
  /** Client to miner: the client's signature over the miner's nonce. */
  AUTH(0x03),
  /** Miner to client: the handshake is complete; requests may follow. */
  AUTH_OK(0x04),
  /** Client: start a fragment upload (fragment id, total length). */
  PUT_BEGIN(0x10),
  /** Either way: a chunk of fragment bytes for the request of the same id. */
  DATA(0x11),
  /** Client: the upload's last chunk has been sent. */
  PUT_END(0x12),
  /** Miner: the fragment is durable. */
  PUT_OK(0x13),
  /** Client: read a range of a fragment. */
  GET(0x20),
  /** Miner: the range of a GET has been sent in full (DATA frames before it). */
  END(0x21),
  /** Client: whether the miner holds a fragment. */
  HAS(0x22),
  /** Miner: answer to HAS. */
  HAS_RESULT(0x23),
  /** Client: delete a fragment. */
  DELETE(0x24),
  /** Miner: answer to DELETE. */
  DELETE_RESULT(0x25),
  /** Client: Merkle challenge over chosen leaves. */
  PROVE(0x26),
  /** Miner: the proofs of a PROVE. */
  PROOFS(0x27),
  /** Client: counts, bytes used and capacity. */
  STATS(0x28),
  /** Miner: answer to STATS. */
  STATS_RESULT(0x29),
  /** Either way: a request failed, or (request id 0) the connection is being closed. */
  ERROR(0x7F);

  private static final FrameType[] BY_CODE = new FrameType[256];

  static {
    for (FrameType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;

  FrameType(int code) {
    this.code = code;
  }

  /** The byte on the wire. */
  public int code() {
    return code;
  }

  /** The type of a code, or {@code null} if the code is unknown. */
  public static FrameType of(int code) {
    return code < 0 || code > 255 ? null : BY_CODE[code];
  }
}
