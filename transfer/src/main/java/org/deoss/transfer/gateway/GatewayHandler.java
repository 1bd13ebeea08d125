package org.deoss.transfer.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one boundary between Netty and the routes, one per connection. On the event loop it turns a
 * request's head into an {@link Exchange}, refuses what it can refuse without a route (a malformed
 * request, headers too large, a declared body over the limit — before any of the body is read), and
 * runs the route on the executor; the body's buffers flow into the exchange's {@link RequestBody}
 * as they arrive. One request is served at a time: the head of a pipelined request that arrives
 * meanwhile waits in {@link #waiting} (reading paused) until the answer is out.
 *
 * <p>State (all on the event loop): {@code current} is the exchange being served, or null between
 * requests. Whatever the route does, {@link #run} answers every exchange, and every buffer received
 * is released once: by the body, by {@link #channelInactive}, or here.
 */
final class GatewayHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

  /** Most bytes a request that is no upload may carry (ignored, but read). */
  static final int MAX_SMALL_BODY = 64 << 10;

  /** Body bytes queued for a route before the socket stops being read. */
  static final int HIGH_WATER = 4 << 20;

  /** Longest wait for the rest of a refused body (see {@link #linger}). */
  static final int LINGER_SECONDS = 10;

  private final GatewayRoutes routes;
  private final Executor executor;
  private final long maxObjectBytes;
  private final long stallNanos;

  private Exchange current;
  private boolean currentComplete;

  /** A request that is no upload runs once its (small) body is complete. */
  private Exchange deferred;

  private boolean closing;
  private final ArrayDeque<Object> waiting = new ArrayDeque<>();

  GatewayHandler(GatewayRoutes routes, Executor executor, long maxObjectBytes, long stallNanos) {
    this.stallNanos = stallNanos;
    this.routes = routes;
    this.executor = executor;
    this.maxObjectBytes = maxObjectBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!waiting.isEmpty() || !dispatch(ctx, msg)) {
      // The next request of a pipelining client: held until this one is answered.
      waiting.add(msg);
      ctx.channel().config().setAutoRead(false);
    }
  }

  /** Handles {@code msg} now, or returns false when it must wait for the current answer. */
  private boolean dispatch(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      // Lingering after an early answer: the rest of the body is dropped; its end ends it all.
      if (msg instanceof LastHttpContent) {
        ctx.close();
      }
      ReferenceCountUtil.release(msg);
      return true;
    }
    if (current != null) {
      if (msg instanceof HttpContent c && !(msg instanceof HttpRequest) && !currentComplete) {
        feed(ctx, c);
        return true;
      }
      return false;
    }
    if (msg instanceof HttpRequest req) {
      begin(ctx, req);
    } else {
      // Body bytes of a request already answered and dropped.
      ReferenceCountUtil.release(msg);
    }
    return true;
  }

  private void feed(ChannelHandlerContext ctx, HttpContent c) {
    current.body().offer(c.content());
    if (c instanceof LastHttpContent) {
      currentComplete = true;
      current.body().end();
      if (deferred != null) {
        Exchange ex = deferred;
        deferred = null;
        submit(ex);
      }
    }
  }

  private void begin(ChannelHandlerContext ctx, HttpRequest req) {
    boolean last = req instanceof LastHttpContent;
    if (req.decoderResult().isFailure()) {
      Throwable cause = req.decoderResult().cause();
      ReferenceCountUtil.release(req);
      refuse(ctx, malformed(cause), describe(cause), false);
      return;
    }
    long declared = HttpUtil.getContentLength(req, -1L);
    boolean upload = GatewayRoutes.isUpload(req.method().name(), req.uri());
    long limit = upload ? maxObjectBytes : MAX_SMALL_BODY;
    if (declared > limit) {
      ReferenceCountUtil.release(req);
      refuse(
          ctx,
          HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
          "Content-Length "
              + declared
              + " exceeds the gateway's limit of "
              + limit
              + " bytes for "
              + (upload ? "an object" : "this request"),
          !(req instanceof LastHttpContent) && !HttpUtil.is100ContinueExpected(req));
      return;
    }
    boolean expectContinue = HttpUtil.is100ContinueExpected(req);
    RequestBody body =
        new RequestBody(
            ctx.channel(),
            limit,
            HIGH_WATER,
            () -> {
              if (expectContinue) {
                ctx.writeAndFlush(
                    new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
              }
            });
    Exchange ex =
        new Exchange(
            req,
            ctx.channel(),
            body,
            HttpUtil.isKeepAlive(req),
            stallNanos,
            again -> ctx.executor().execute(() -> answered(ctx, again)));
    current = ex;
    currentComplete = false;
    if (!upload) {
      deferred = ex;
    }
    if (last) {
      feed(ctx, (LastHttpContent) req);
    }
    if (upload) {
      submit(ex);
    }
  }

  private void submit(Exchange ex) {
    try {
      executor.execute(() -> run(ex));
    } catch (RejectedExecutionException e) {
      ex.fail(new GatewayError(HttpResponseStatus.SERVICE_UNAVAILABLE, "the gateway is stopping"));
    }
  }

  private void run(Exchange ex) {
    try {
      routes.handle(ex);
    } catch (Throwable e) {
      int status = ErrorTable.status(e).code();
      if (status == 500) {
        LOG.warn("{} {} failed", ex.method(), ex.path(), e);
      } else if (status >= 500) {
        LOG.warn("{} {} failed: {}", ex.method(), ex.path(), e.toString());
      } else {
        LOG.debug("{} {} refused: {}", ex.method(), ex.path(), e.toString());
      }
      if (!ex.answered()) {
        ex.fail(e);
      }
    } finally {
      ex.body().close();
      if (!ex.answered()) {
        ex.fail(new IllegalStateException("the route gave no answer"));
      }
    }
  }

  /** The answer to {@code current} is out: serve the next request, or stay closed. */
  private void answered(ChannelHandlerContext ctx, boolean again) {
    current = null;
    deferred = null;
    if (!again || !ctx.channel().isActive()) {
      releaseWaiting();
      if (currentComplete) {
        closing = true;
        ctx.close();
      } else {
        linger(ctx);
      }
      return;
    }
    while (!waiting.isEmpty() && dispatch(ctx, waiting.peek())) {
      waiting.poll();
    }
    if (waiting.isEmpty()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private static HttpResponseStatus malformed(Throwable cause) {
    if (cause instanceof TooLongHttpHeaderException) {
      return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
    }
    if (cause instanceof TooLongHttpLineException) {
      return HttpResponseStatus.REQUEST_URI_TOO_LONG;
    }
    return HttpResponseStatus.BAD_REQUEST;
  }

  private static String describe(Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      return "request line or headers too large: " + cause.getMessage();
    }
    return "malformed HTTP request: " + cause.getMessage();
  }

  /** Answers at once and closes: nothing more on this connection can be trusted or is wanted. */
  private void refuse(
      ChannelHandlerContext ctx, HttpResponseStatus status, String msg, boolean linger) {
    byte[] body =
        ("{\"code\":" + status.code() + ",\"msg\":" + quote(msg) + ",\"data\":null}")
            .getBytes(StandardCharsets.UTF_8);
    FullHttpResponse resp =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    Exchange.cors(resp.headers());
    resp.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    if (linger) {
      ctx.writeAndFlush(resp).addListener(f -> linger(ctx));
    } else {
      closing = true;
      ctx.channel().config().setAutoRead(false);
      ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /**
   * Closes after an answer sent before the request's body arrived. Closing at once would reset the
   * connection while the client is still sending, and a client that is reset before it reads the
   * answer never sees it (a 413 or 401 lost as "connection reset"). So the gateway stops sending
   * (FIN), reads and drops the rest of the body, and closes when the body ends, the client goes
   * idle, or {@link #LINGER_SECONDS} pass. Over TLS the connection closes at once.
   */
  private void linger(ChannelHandlerContext ctx) {
    closing = true;
    if (ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class) != null
        || !(ctx.channel() instanceof io.netty.channel.socket.SocketChannel sc)) {
      ctx.close();
      return;
    }
    ctx.channel().config().setAutoRead(true);
    sc.shutdownOutput();
    ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, TimeUnit.SECONDS);
  }

  private static String quote(String s) {
    try {
      return Exchange.JSON.writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return "\"\"";
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null) {
      current.writabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      // Idle while the gateway waits for the client: for a request's head, or for body bytes
      // its route is starving for (not while the route is busy and reading is paused).
      boolean waitingForClient =
          current == null
              || (!currentComplete && deferred != null)
              || (!currentComplete && current.body().starvedFor(stallNanos));
      if (waitingForClient) {
        LOG.debug("closing idle connection {}", ctx.channel().remoteAddress());
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (current != null) {
      current.body().abort(new IOException("the client closed the connection"));
      current.writabilityChanged();
    }
    releaseWaiting();
    ctx.fireChannelInactive();
  }

  private void releaseWaiting() {
    Object m;
    while ((m = waiting.poll()) != null) {
      ReferenceCountUtil.release(m);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("gateway connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
