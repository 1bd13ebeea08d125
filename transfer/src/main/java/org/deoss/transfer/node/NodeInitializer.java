package org.deoss.transfer.node;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one node connection:
 *
 * <pre>
 *   IdleStateHandler (close after idleSeconds without traffic)
 *   HttpServerCodec (initial line and headers bounded)
 *   Aggregator (whole request, at most maxRequestBytes; a larger one gets 413, its body is
 *               skipped)
 *   NodeHandler (routes on the executor)
 * </pre>
 */
final class NodeInitializer extends ChannelInitializer<SocketChannel> {
  private final LedgerNodeServer.Options options;
  private final NodeRoutes routes;
  private final Executor executor;
  private final ChannelGroup connections;

  NodeInitializer(
      LedgerNodeServer.Options options,
      NodeRoutes routes,
      Executor executor,
      ChannelGroup connections) {
    this.options = options;
    this.routes = routes;
    this.executor = executor;
    this.connections = connections;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    connections.add(ch);
    ch.pipeline()
        .addLast(
            new IdleStateHandler(0, 0, options.idleSeconds(), TimeUnit.SECONDS) {
              @Override
              protected void channelIdle(
                  ChannelHandlerContext ctx, io.netty.handler.timeout.IdleStateEvent evt) {
                ctx.close();
              }
            })
        .addLast(new HttpServerCodec(8192, 16384, 8192))
        .addLast(new Aggregator(options.maxRequestBytes()))
        .addLast(new NodeHandler(routes, executor));
  }

  /** Answers an oversized request with the node's JSON error instead of an empty 413. */
  static final class Aggregator extends HttpObjectAggregator {
    private final int max;

    Aggregator(int max) {
      super(max);
      this.max = max;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      // As Netty does: a keep-alive connection stays open (the rest of the body is skipped).
      NodeHandler.write(
          ctx,
          NodeHandler.errorResponse(
              new HttpError(
                  HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                  HttpError.Code.TOO_LARGE,
                  "request body is larger than the node's limit of " + max + " bytes"),
              false),
          io.netty.handler.codec.http.HttpUtil.isKeepAlive(oversized));
    }
  }
}
