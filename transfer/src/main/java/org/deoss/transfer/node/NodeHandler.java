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
import java.util.ArrayDeque;
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

  /** One request to answer: a route to run, or an answer known at once. */
  private record Job(NodeRequest request, NodeResponse immediate, boolean keepAlive) {}

  // Touched on the channel's event loop only.
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private boolean busy;

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    Job job;
    if (req.decoderResult().isFailure()) {
      job =
          new Job(
              null,
              errorResponse(
                  HttpError.badRequest(
                      "malformed HTTP request: " + req.decoderResult().cause().getMessage()),
                  false),
              false);
    } else {
      try {
        job =
            new Job(
                NodeRequest.of(
                    req.method().name(),
                    req.uri(),
                    req.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    ByteBufUtil.getBytes(req.content())),
                null,
                keepAlive);
      } catch (RuntimeException e) {
        job = new Job(null, errorResponse(e, false), keepAlive);
      }
    }
    // Requests decoded from one read (pipelining) wait here; no more is read meanwhile.
    queue.add(job);
    ctx.channel().config().setAutoRead(false);
    next(ctx);
  }

  private void next(ChannelHandlerContext ctx) {
    if (busy) {
      return;
    }
    Job job = queue.poll();
    if (job == null) {
      ctx.channel().config().setAutoRead(true);
      return;
    }
    busy = true;
    if (job.immediate() != null) {
      finish(ctx, job, job.immediate());
      return;
    }
    NodeRequest q = job.request();
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
          ctx.executor().execute(() -> finish(ctx, job, resp));
        });
  }

  private void finish(ChannelHandlerContext ctx, Job job, NodeResponse resp) {
    write(ctx, resp, job.keepAlive());
    busy = false;
    if (!job.keepAlive()) {
      queue.clear();
      return;
    }
    next(ctx);
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
