package org.deoss.transfer.miner.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.deoss.transfer.protocol.FrameDecoder;
import org.deoss.transfer.protocol.FrameEncoder;

/**
 * The miner's pipeline, per accepted connection:
 *
 * <pre>
 * [tls] → idle (reader idle → TIMEOUT) → frame decoder (max payload, frame deadline) → frame encoder
 *   → handshake (replaced by) → requests
 * </pre>
 */
final class MinerChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final ServerContext context;

  MinerChannelInitializer(ServerContext context) {
    this.context = context;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    MinerServerOptions o = context.options();
    ChannelPipeline p = ch.pipeline();
    if (context.tls() != null) {
      p.addLast("tls", context.tls().newHandler(ch.alloc()));
    }
    p.addLast(
        "idle", new IdleStateHandler(o.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    p.addLast("decoder", new FrameDecoder(o.maxPayload(), o.frameTimeout().toMillis()));
    p.addLast("encoder", FrameEncoder.INSTANCE);
    p.addLast("handshake", new ServerHandshakeHandler(context));
  }
}
