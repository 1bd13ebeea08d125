package org.deoss.transfer.gateway;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one gateway connection:
 *
 * <pre>
 *   SslHandler        (HTTPS only)
 *   IdleStateHandler  (reader idle: GatewayHandler closes if it was waiting for the client)
 *   HttpServerCodec   (request line and headers bounded by maxHeaderBytes; body in chunks)
 *   GatewayHandler    (one request at a time; routes on the executor; bodies streamed)
 * </pre>
 */
final class GatewayInitializer extends ChannelInitializer<SocketChannel> {
  private final GatewayOptions options;
  private final GatewayRoutes routes;
  private final Executor executor;
  private final ChannelGroup connections;

  GatewayInitializer(
      GatewayOptions options, GatewayRoutes routes, Executor executor, ChannelGroup connections) {
    this.options = options;
    this.routes = routes;
    this.executor = executor;
    this.connections = connections;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    connections.add(ch);
    if (options.tls().context() != null) {
      ch.pipeline().addLast(options.tls().context().newHandler(ch.alloc()));
    }
    int head = options.maxHeaderBytes();
    ch.pipeline()
        .addLast(
            new IdleStateHandler(options.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
        .addLast(new HttpServerCodec(Math.min(head, 8192), head, 64 << 10))
        .addLast(
            new GatewayHandler(
                routes, executor, options.maxObjectBytes(), options.idleTimeout().toNanos()));
  }
}
