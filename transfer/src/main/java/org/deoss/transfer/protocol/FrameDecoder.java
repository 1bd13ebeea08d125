package org.deoss.transfer.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the byte stream into {@link Frame}s (layout in {@link Frame}).
 *
 * <p>The magic is checked as soon as its 4 bytes are in, the rest of the header once its 20 bytes
 * are: a wrong magic, an unknown type, an unsupported version or a payload length above {@code
 * maxPayload} raises a {@link ProtocolException} before any payload is buffered or allocated. After
 * the first error the decoder discards everything that follows (the stream has lost its framing);
 * the handler above sends an ERROR frame and closes. An incomplete frame waits for more bytes.
 *
 * <p>HELLO frames are accepted with any version byte (their layout is frozen across versions, so
 * version negotiation can happen in them); every other frame must carry a version in {@code
 * [minVersion, maxVersion]}.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  private final int maxPayload;
  private boolean failed;

  /**
   * @param maxPayload the largest payload accepted, in bytes
   */
  public FrameDecoder(int maxPayload) {
    if (maxPayload < 1024) {
      throw new IllegalArgumentException("maxPayload must be at least 1024, got " + maxPayload);
    }
    this.maxPayload = maxPayload;
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
      return;
    }
    in.skipBytes(Frame.HEADER_LENGTH);
    ByteBuf payload = in.readRetainedSlice((int) length);
    out.add(new Frame(version, type, flags, requestId, payload));
  }

  private ProtocolException fail(ByteBuf in, ErrorCode code, String message) {
    failed = true;
    in.skipBytes(in.readableBytes());
    return new ProtocolException(code, message);
  }
}
