package org.deoss.transfer.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cuts the byte stream into {@link Frame}s (layout in {@link Frame}).
 *
 * <p>The magic is checked as soon as its 4 bytes are in, the rest of the header once its 20 bytes
 * are: a wrong magic, an unknown type, an unsupported version or a payload length above {@code
 * maxPayload} raises a {@link ProtocolException} before any payload is buffered or allocated. After
 * the first error the decoder discards everything that follows (the stream has lost its framing);
 * the handler above sends an ERROR frame and closes. An incomplete frame waits for more bytes.
 *
 * <p>Socket reads are cumulated as the components of a composite buffer, so the payload of a frame
 * that spans several reads is a slice over them, not a copy.
 *
 * <p>HELLO frames are accepted with any version byte (their layout is frozen across versions, so
 * version negotiation can happen in them); every other frame must carry version 1, the only one so
 * far.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  private final int maxPayload;
  private final long frameTimeoutMillis;
  private boolean failed;
  private long frames;
  private boolean partialTimed;

  /**
   * A decoder without a per-frame deadline.
   *
   * @param maxPayload the largest payload accepted, in bytes
   */
  public FrameDecoder(int maxPayload) {
    this(maxPayload, 0);
  }

  /**
   * @param maxPayload the largest payload accepted, in bytes
   * @param frameTimeoutMillis if positive, a frame whose first bytes arrived this long ago and
   *     which is still incomplete raises a {@link ProtocolException} ({@link ErrorCode#TIMEOUT}):
   *     this ends peers that trickle a frame byte by byte to hold a connection open
   */
  public FrameDecoder(int maxPayload, long frameTimeoutMillis) {
    if (maxPayload < 1024) {
      throw new IllegalArgumentException("maxPayload must be at least 1024, got " + maxPayload);
    }
    if (frameTimeoutMillis < 0) {
      throw new IllegalArgumentException(
          "frameTimeoutMillis must be >= 0, got " + frameTimeoutMillis);
    }
    this.maxPayload = maxPayload;
    this.frameTimeoutMillis = frameTimeoutMillis;
    // Reads are appended as components, not copied into one buffer: a DATA frame larger than a
    // socket read would otherwise be copied once here before its handler copies it again.
    setCumulator(COMPOSITE_CUMULATOR);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int start = in.readerIndex();
    if (in.readableBytes() >= 4 && in.getInt(start) != Frame.MAGIC) {
      throw fail(
          in, ErrorCode.MALFORMED_FRAME, "bad magic 0x" + Integer.toHexString(in.getInt(start)));
    }
    if (in.readableBytes() < Frame.HEADER_LENGTH) {
      timePartial(ctx, in);
      return;
    }
    int version = in.getUnsignedByte(start + 4);
    int typeCode = in.getUnsignedByte(start + 5);
    int flags = in.getUnsignedShort(start + 6);
    long requestId = in.getLong(start + 8);
    long length = in.getUnsignedInt(start + 16);
    FrameType type = FrameType.of(typeCode);
    if (type == null) {
      throw fail(
          in, ErrorCode.UNKNOWN_TYPE, "unknown frame type 0x" + Integer.toHexString(typeCode));
    }
    if (type != FrameType.HELLO && version != Frame.VERSION_1) {
      throw fail(in, ErrorCode.UNSUPPORTED_VERSION, "frame version " + version + " is not 1");
    }
    if (length > maxPayload) {
      throw fail(
          in,
          ErrorCode.FRAME_TOO_LARGE,
          type + " payload of " + length + " bytes exceeds the maximum of " + maxPayload);
    }
    if (in.readableBytes() < Frame.HEADER_LENGTH + length) {
      timePartial(ctx, in);
      return;
    }
    frames++;
    partialTimed = false;
    in.skipBytes(Frame.HEADER_LENGTH);
    ByteBuf payload = in.readRetainedSlice((int) length);
    out.add(new Frame(version, type, flags, requestId, payload));
  }

  /** Starts the deadline of the frame now in progress, once per frame. */
  private void timePartial(ChannelHandlerContext ctx, ByteBuf in) {
    if (frameTimeoutMillis == 0 || partialTimed || !in.isReadable()) {
      return;
    }
    partialTimed = true;
    long frame = frames;
    ctx.executor()
        .schedule(
            () -> {
              if (!failed && frames == frame && partialTimed && ctx.channel().isActive()) {
                failed = true;
                ctx.fireExceptionCaught(
                    new ProtocolException(
                        ErrorCode.TIMEOUT,
                        "frame not complete within "
                            + frameTimeoutMillis
                            + " ms of its first byte"));
              }
            },
            frameTimeoutMillis,
            TimeUnit.MILLISECONDS);
  }

  private ProtocolException fail(ByteBuf in, ErrorCode code, String message) {
    failed = true;
    in.skipBytes(in.readableBytes());
    return new ProtocolException(code, message);
  }
}
