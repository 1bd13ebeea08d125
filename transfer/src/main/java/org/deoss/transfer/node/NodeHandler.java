package org.deoss.transfer.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.port.LedgerUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one boundary between Netty and the routes. On the event loop it copies the request, stops
 * reading from the channel (one request at a time per connection, so answers keep their order), and
 * hands the request to the executor; the answer is written back on the event loop and reading
 * resumes. Every exception of a route is translated here, once, by {@link #errorResponse}.
 */
final class NodeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHandler.class);

  private final NodeRoutes routes;
  private final Executor executor;

  NodeHandler(NodeRoutes routes, Executor executor) {
    this.routes = routes;
    this.executor = executor;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (req.decoderResult().isFailure()) {
      write(
          ctx,
          errorResponse(
              HttpError.badRequest(
                  "malformed HTTP request: " + req.decoderResult().cause().getMessage()),
              false),
          false);
      return;
    }
    NodeRequest q;
    try {
      q =
          NodeRequest.of(
              req.method().name(),
              req.uri(),
              req.headers().get(HttpHeaderNames.CONTENT_TYPE),
              ByteBufUtil.getBytes(req.content()));
    } catch (RuntimeException e) {
      write(ctx, errorResponse(e, false), keepAlive);
      return;
    }
    ctx.channel().config().setAutoRead(false);
    CompletableFuture<NodeResponse> answer;
    try {
      answer = CompletableFuture.supplyAsync(() -> routes.route(q), executor).thenCompose(f -> f);
    } catch (RejectedExecutionException e) {
      answer = CompletableFuture.failedFuture(new LedgerUnavailableException("node is stopping"));
    }
    answer.whenComplete(
        (r, e) -> {
          NodeResponse resp = e != null ? errorResponse(unwrap(e), isQuery(q)) : r;
          if (resp.status().code() >= 500) {
            LOG.debug("{} {} -> {}", q.method(), q.path(), resp.status(), e);
          }
          ctx.executor()
              .execute(
                  () -> {
                    write(ctx, resp, keepAlive);
                    ctx.channel().config().setAutoRead(true);
                  });
        });
  }

  private static boolean isQuery(NodeRequest q) {
    return q.method().equals("GET") && !q.segments().contains("transactions");
  }

  private static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** The one table from an exception to a status and JSON error body. */
  static NodeResponse errorResponse(Throwable e, boolean query) {
    ObjectNode body = Json.object();
    HttpResponseStatus status;
    if (e instanceof HttpError h) {
      status = h.status();
      body.put("error", h.code().name());
      body.put("message", h.getMessage());
    } else if (e instanceof LedgerRejection r) {
      status = RejectionStatus.of(r.reason(), query);
      body.put("error", HttpError.Code.REJECTED.name());
      body.put("reason", r.reason().name());
      body.put("message", NodeRoutes.rejectionDetail(r));
    } else if (e instanceof LedgerUnavailableException) {
      status = HttpResponseStatus.SERVICE_UNAVAILABLE;
      body.put("error", HttpError.Code.UNAVAILABLE.name());
      body.put("message", e.getMessage());
    } else if (e instanceof IllegalArgumentException) {
      status = HttpResponseStatus.BAD_REQUEST;
      body.put("error", HttpError.Code.BAD_REQUEST.name());
      body.put("message", e.getMessage());
    } else {
      LOG.warn("ledger node request failed: {}", e.toString(), e);
      status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
      body.put("error", HttpError.Code.INTERNAL.name());
      body.put("message", e.toString());
    }
    return new NodeResponse(status, body);
  }

  static void write(ChannelHandlerContext ctx, NodeResponse r, boolean keepAlive) {
    byte[] bytes;
    try {
      bytes = Json.MAPPER.writeValueAsBytes(r.body());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
    FullHttpResponse resp =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, r.status(), Unpooled.wrappedBuffer(bytes));
    resp.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    if (!ctx.channel().isActive()) {
      resp.release();
      return;
    }
    if (keepAlive) {
      resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(resp);
    } else {
      resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug(
        "ledger node connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
