package org.deoss.transfer.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link Frame}s: a 20-byte header buffer, then the payload itself (not copied). Stateless
 * and shared.
 */
@Sharable
public final class FrameEncoder extends MessageToMessageEncoder<Frame> {
  /** The one instance. */
  public static final FrameEncoder INSTANCE = new FrameEncoder();

  private FrameEncoder() {
    super(Frame.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
    ByteBuf payload = frame.payload();
    ByteBuf header = ctx.alloc().buffer(Frame.HEADER_LENGTH);
    header
        .writeInt(Frame.MAGIC)
        .writeByte(frame.version())
        .writeByte(frame.type().code())
        .writeShort(frame.flags())
        .writeLong(frame.requestId())
        .writeInt(payload.readableBytes());
    out.add(header);
    out.add(payload.retain());
  }
}
