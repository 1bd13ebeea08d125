package org.deoss.transfer.client;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import org.deoss.transfer.protocol.FrameDecoder;
import org.deoss.transfer.protocol.FrameEncoder;

/**
 * The client's pipeline, per connection:
 *
 * <pre>
 * [tls] → frame decoder (max payload) → frame encoder → handshake (replaced by) → requests
 * </pre>
 */
final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final int maxPayload;
  private final ClientHandshakeHandler handshake;
  private final SslContext tls;
  private final InetSocketAddress endpoint;

  ClientChannelInitializer(
      int maxPayload,
      ClientHandshakeHandler handshake,
      SslContext tls,
      InetSocketAddress endpoint) {
    this.maxPayload = maxPayload;
    this.handshake = handshake;
    this.tls = tls;
    this.endpoint = endpoint;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    if (tls != null) {
      p.addLast("tls", tls.newHandler(ch.alloc(), endpoint.getHostString(), endpoint.getPort()));
    }
    p.addLast("decoder", new FrameDecoder(maxPayload));
    p.addLast("encoder", FrameEncoder.INSTANCE);
    p.addLast("handshake", handshake);
  }
}
