package org.deoss.transfer.client;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import org.deoss.transfer.protocol.FrameDecoder;
import org.deoss.transfer.protocol.FrameEncoder;

/**
 * The client's pipeline, per connection:
 *
 * <pre>
 * frame decoder (max payload) → frame encoder → handshake (replaced by) → requests
 * </pre>
 */
final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final int maxPayload;
  private final ClientHandshakeHandler handshake;

  ClientChannelInitializer(int maxPayload, ClientHandshakeHandler handshake) {
    this.maxPayload = maxPayload;
    this.handshake = handshake;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    p.addLast("decoder", new FrameDecoder(maxPayload));
    p.addLast("encoder", FrameEncoder.INSTANCE);
    p.addLast("handshake", handshake);
  }
}
