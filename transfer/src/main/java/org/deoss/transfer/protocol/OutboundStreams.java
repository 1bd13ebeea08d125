package org.deoss.transfer.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;

/**
 * Streams large payloads as DATA frames without flooding the channel: chunks are written only while
 * the channel is writable, round-robin between streams (so a 16 MiB transfer does not hold up a
 * small one on the same connection), and each stream ends with its trailer frame.
 *
 * <p>Event-loop only: {@link #send}, {@link #resume} and {@link #releaseAll} must be called on the
 * channel's event loop. The owner calls {@link #resume} from {@code channelWritabilityChanged} and
 * {@link #releaseAll} when the channel closes.
 */
public final class OutboundStreams {
  private final int chunkSize;
  private final ArrayDeque<Stream> queue = new ArrayDeque<>();

  /**
   * @param chunkSize bytes per DATA frame, at most the peer's maximum payload
   */
  public OutboundStreams(int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be positive, got " + chunkSize);
    }
    this.chunkSize = chunkSize;
  }

  /**
   * Queues {@code data} (ownership passes here) as DATA frames of request {@code requestId},
   * followed by {@code trailer}; {@code onDone} runs once the trailer is written or the stream is
   * dropped.
   */
  public void send(
      ChannelHandlerContext ctx, long requestId, ByteBuf data, Frame trailer, Runnable onDone) {
    queue.add(new Stream(requestId, data, trailer, onDone));
    resume(ctx);
  }

  /** Writes as many queued chunks as the channel takes now. */
  public void resume(ChannelHandlerContext ctx) {
    boolean wrote = false;
    while (!queue.isEmpty() && ctx.channel().isWritable()) {
      Stream s = queue.poll();
      int n = Math.min(chunkSize, s.data.readableBytes());
      if (n > 0) {
        ctx.write(Frame.of(FrameType.DATA, s.requestId, s.data.readRetainedSlice(n)));
        wrote = true;
      }
      if (s.data.isReadable()) {
        queue.add(s);
      } else {
        s.data.release();
        ctx.write(s.trailer);
        wrote = true;
        s.onDone.run();
      }
    }
    if (wrote) {
      ctx.flush();
    }
  }

  /** Whether nothing is waiting to be written. */
  public boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Drops every queued stream, releasing its buffers and running its callback. */
  public void releaseAll() {
    Stream s;
    while ((s = queue.poll()) != null) {
      s.data.release();
      s.trailer.release();
      s.onDone.run();
    }
  }

  private record Stream(long requestId, ByteBuf data, Frame trailer, Runnable onDone) {}
}
