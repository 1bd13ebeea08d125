package org.deoss.transfer.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import java.util.Objects;

/**
 * One frame of the fragment protocol: a fixed 20-byte header and a payload.
 *
 * <pre>
 * 0       4   5   6       8               16      20
 * +-------+---+---+-------+---------------+-------+-----------------+
 * | magic |ver|typ| flags |  request id   |  len  |    payload      |
 * | "DOSF"| u8| u8|  u16  |     u64       |  u32  |    len bytes    |
 * +-------+---+---+-------+---------------+-------+-----------------+
 * </pre>
 *
 * All integers are big-endian. {@code magic} is the ASCII bytes {@code DOSF} (0x444F5346). {@code
 * ver} is the protocol version the sender speaks on this connection (1). {@code flags} is reserved:
 * senders write 0, receivers ignore it. {@code request id} ties requests to their responses and
 * chunks; 0 names the connection itself (handshake, fatal errors). {@code len} is the payload
 * length, at most the receiver's maximum ({@link FrameDecoder}).
 *
 * <p>A frame owns its payload: whoever holds the frame last releases it.
 */
public final class Frame extends DefaultByteBufHolder {
  /** {@code "DOSF"}. */
  public static final int MAGIC = 0x444F5346;

  /** Bytes before the payload. */
  public static final int HEADER_LENGTH = 20;

  /** The only version so far. */
  public static final int VERSION_1 = 1;

  private final int version;
  private final FrameType type;
  private final int flags;
  private final long requestId;

  public Frame(int version, FrameType type, int flags, long requestId, ByteBuf payload) {
    super(payload);
    this.version = version;
    this.type = Objects.requireNonNull(type, "type");
    this.flags = flags;
    this.requestId = requestId;
  }

  /** A version-1 frame without flags. */
  public static Frame of(FrameType type, long requestId, ByteBuf payload) {
    return new Frame(VERSION_1, type, 0, requestId, payload);
  }

  /** A version-1 frame with an empty payload. */
  public static Frame empty(FrameType type, long requestId) {
    return of(type, requestId, Unpooled.EMPTY_BUFFER);
  }

  public int version() {
    return version;
  }

  public FrameType type() {
    return type;
  }

  public int flags() {
    return flags;
  }

  public long requestId() {
    return requestId;
  }

  public ByteBuf payload() {
    return content();
  }

  @Override
  public Frame replace(ByteBuf content) {
    return new Frame(version, type, flags, requestId, content);
  }

  @Override
  public Frame retain() {
    super.retain();
    return this;
  }

  @Override
  public Frame touch(Object hint) {
    super.touch(hint);
    return this;
  }

  @Override
  public String toString() {
    return type
        + "#"
        + requestId
        + (refCnt() > 0 ? "(" + content().readableBytes() + " bytes)" : "(released)");
  }
}
