package org.deoss.transfer.miner.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.deoss.transfer.protocol.ErrorCode;
import org.deoss.transfer.protocol.Frame;
import org.deoss.transfer.protocol.FrameType;
import org.deoss.transfer.protocol.Messages;
import org.deoss.transfer.protocol.Messages.ErrorMessage;
import org.deoss.transfer.protocol.Messages.GetRequest;
import org.deoss.transfer.protocol.Messages.ProveRequest;
import org.deoss.transfer.protocol.Messages.PutBegin;
import org.deoss.transfer.protocol.Messages.StatsResult;
import org.deoss.transfer.protocol.OutboundStreams;
import org.deoss.transfer.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the requests of one authenticated connection.
 *
 * <h2>Design</h2>
 *
 * All fields are touched only on the channel's event loop. Store calls (which may block on a disk)
 * and the deletion policy run on the injected store executor; their results come back to the event
 * loop with {@code whenCompleteAsync(.., ctx.executor())}.
 *
 * <p><b>PUT.</b> PUT_BEGIN reserves the declared length against the connection's PUT window (the
 * client learnt it in HELLO_ACK and never exceeds it; a BEGIN that would is answered BUSY) and
 * allocates one buffer of exactly that length; each DATA chunk is copied into it and released. At
 * PUT_END the buffer goes to {@link FragmentStore#put}, on the store executor, which checks the
 * bytes against the fragment id before it acknowledges (a mismatch is HASH_MISMATCH and nothing is
 * stored; the event loop never hashes, and no byte is hashed twice); the buffer is released, with
 * its window reservation, when the store answers. Memory per connection is thus bounded by the
 * window plus one frame.
 *
 * <p><b>Backpressure.</b> Reading stops (autoRead off) while {@code maxPendingOps} store operations
 * of this connection are outstanding, and resumes when they drop below; GET answers stream out only
 * while the channel is writable ({@link OutboundStreams}). A peer that stops reading while the
 * server is blocked on it is closed by the idle timeout.
 *
 * <p><b>Errors.</b> A failed request gets an ERROR frame with its request id; the connection stays.
 * A broken frame, an unknown request id for DATA or PUT_END, a reused request id, or an
 * inconsistent upload length gets an ERROR frame with request id 0 and the connection is closed.
 */
final class MinerRequestHandler extends SimpleChannelInboundHandler<Frame> {
  private static final Logger LOG = LoggerFactory.getLogger(MinerRequestHandler.class);
  private static final Logger WRITES = LoggerFactory.getLogger("org.deoss.transfer.miner.writes");
  private static final int MAX_OPEN_PUTS = 1024;

  private final ServerContext context;
  private final AccountId client;
  private final OutboundStreams out;
  private final Map<Long, Upload> uploads = new HashMap<>();
  private final Set<Long> busy = new HashSet<>();
  private long reserved;
  private int pending;
  private boolean closing;

  MinerRequestHandler(ServerContext context, AccountId client) {
    this.context = context;
    this.client = client;
    this.out = new OutboundStreams(context.options().chunkSize());
  }

  /** One PUT between BEGIN and the store's answer; {@code buffer == null} once it was refused. */
  private static final class Upload {
    final Hash256 id;
    final long length;
    ByteBuf buffer;
    ScheduledFuture<?> timeout;

    Upload(Hash256 id, long length, ByteBuf buffer) {
      this.id = id;
      this.length = length;
      this.buffer = buffer;
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
    long id = f.requestId();
    switch (f.type()) {
      case PUT_BEGIN -> begin(ctx, id, PutBegin.decode(f.payload()));
      case DATA -> data(ctx, id, f.payload());
      case PUT_END -> end(ctx, id);
      case GET -> get(ctx, id, GetRequest.decode(f.payload()));
      case HAS -> {
        Hash256 h = Messages.decodeId(f.payload(), "HAS");
        call(
            ctx,
            id,
            () -> context.store().has(h),
            (c, r) -> answer(c, id, FrameType.HAS_RESULT, Messages.encodeBoolean(c.alloc(), r)));
      }
      case DELETE -> {
        Hash256 h = Messages.decodeId(f.payload(), "DELETE");
        call(
            ctx,
            id,
            () -> delete(h),
            (c, r) -> answer(c, id, FrameType.DELETE_RESULT, Messages.encodeBoolean(c.alloc(), r)));
      }
      case PROVE -> {
        ProveRequest p = ProveRequest.decode(f.payload());
        call(
            ctx,
            id,
            () -> prove(p),
            (c, r) -> answer(c, id, FrameType.PROOFS, Messages.encodeProofs(c.alloc(), r)));
      }
      case STATS -> {
        if (f.payload().isReadable()) {
          throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "STATS takes no payload");
        }
        call(
            ctx,
            id,
            () -> context.store().stats(),
            (c, s) ->
                answer(
                    c,
                    id,
                    FrameType.STATS_RESULT,
                    new StatsResult(s.fragments(), s.usedBytes(), s.capacityBytes())
                        .encode(c.alloc())));
      }
      case ERROR -> ctx.close();
      default ->
          throw new ProtocolException(
              ErrorCode.UNKNOWN_TYPE, f.type() + " is not a request a miner accepts");
    }
  }

  private void begin(ChannelHandlerContext ctx, long id, PutBegin p) {
    if (uploads.containsKey(id) || busy.contains(id)) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_FRAME, "request id " + id + " already in use");
    }
    if (uploads.size() >= MAX_OPEN_PUTS) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_FRAME, "more than " + MAX_OPEN_PUTS + " open PUTs");
    }
    MinerServerOptions o = context.options();
    Upload u;
    if (p.length() > o.maxFragmentLength()) {
      u = new Upload(p.fragment(), p.length(), null);
      error(
          ctx,
          id,
          ErrorCode.CAPACITY_EXCEEDED,
          "fragment of "
              + p.length()
              + " bytes exceeds this miner's maximum of "
              + o.maxFragmentLength());
    } else if (reserved + p.length() > o.putWindow()) {
      u = new Upload(p.fragment(), p.length(), null);
      error(
          ctx,
          id,
          ErrorCode.BUSY,
          "PUT window full: "
              + reserved
              + " of "
              + o.putWindow()
              + " bytes open, "
              + p.length()
              + " more asked");
    } else {
      reserved += p.length();
      u =
          new Upload(
              p.fragment(), p.length(), ctx.alloc().heapBuffer((int) p.length(), (int) p.length()));
      long ms = o.requestTimeout().toMillis();
      u.timeout = ctx.executor().schedule(() -> expire(ctx, id, u, ms), ms, TimeUnit.MILLISECONDS);
    }
    uploads.put(id, u);
  }

  private void data(ChannelHandlerContext ctx, long id, ByteBuf chunk) {
    Upload u = uploads.get(id);
    if (u == null) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_FRAME, "DATA for request " + id + " which has no open PUT");
    }
    if (u.buffer == null) {
      return;
    }
    int n = chunk.readableBytes();
    if (n > u.buffer.writableBytes()) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_FRAME,
          "PUT " + id + " sent more than its declared " + u.length + " bytes");
    }
    u.buffer.writeBytes(chunk);
  }

  private void end(ChannelHandlerContext ctx, long id) {
    Upload u = uploads.remove(id);
    if (u == null) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_FRAME, "PUT_END for request " + id + " which has no open PUT");
    }
    if (u.buffer == null) {
      return;
    }
    u.timeout.cancel(false);
    if (u.buffer.readableBytes() != u.length) {
      release(u);
      throw new ProtocolException(
          ErrorCode.MALFORMED_FRAME,
          "PUT "
              + id
              + " ended after "
              + u.buffer.readableBytes()
              + " of its declared "
              + u.length
              + " bytes");
    }
    busy.add(id);
    ByteBuffer view = u.buffer.nioBuffer();
    call(
        ctx,
        id,
        () -> context.store().put(u.id, view),
        (c, ignored) -> {
          WRITES.info("stored {} ({} bytes) for {}", u.id, u.length, client);
          answer(c, id, FrameType.PUT_OK, Unpooled.EMPTY_BUFFER);
        },
        () -> release(u));
  }

  private void expire(ChannelHandlerContext ctx, long id, Upload u, long ms) {
    if (uploads.get(id) == u && u.buffer != null) {
      release(u);
      error(ctx, id, ErrorCode.TIMEOUT, "PUT not completed within " + ms + " ms");
    }
  }

  private void release(Upload u) {
    if (u.buffer != null) {
      u.buffer.release();
      u.buffer = null;
      reserved -= u.length;
    }
  }

  private void get(ChannelHandlerContext ctx, long id, GetRequest g) {
    long max = context.options().maxFragmentLength();
    if (g.length() != GetRequest.TO_END && g.length() > max) {
      error(
          ctx,
          id,
          ErrorCode.BAD_RANGE,
          "GET of " + g.length() + " bytes exceeds the maximum of " + max);
      return;
    }
    if (g.offset() < 0) {
      error(ctx, id, ErrorCode.BAD_RANGE, "GET offset " + g.offset() + " is negative");
      return;
    }
    busy.add(id);
    pending++;
    updateAutoRead(ctx);
    CompletableFuture.supplyAsync(() -> read(g), context.storeExecutor())
        .thenCompose(f -> f)
        .whenCompleteAsync(
            (data, e) -> {
              if (e != null || !ctx.channel().isActive()) {
                busy.remove(id);
                pending--;
                updateAutoRead(ctx);
                if (e != null) {
                  sendError(ctx, id, StoreErrors.toError(e));
                }
                return;
              }
              out.send(
                  ctx,
                  id,
                  Unpooled.wrappedBuffer(data),
                  Frame.empty(FrameType.END, id),
                  () -> {
                    busy.remove(id);
                    pending--;
                    updateAutoRead(ctx);
                  });
            },
            ctx.executor());
  }

  private CompletableFuture<ByteBuffer> read(GetRequest g) {
    if (g.length() != GetRequest.TO_END) {
      return context.store().get(g.fragment(), g.offset(), (int) g.length());
    }
    return context
        .store()
        .get(g.fragment())
        .thenApply(
            whole -> {
              if (g.offset() > whole.remaining()) {
                throw new FragmentStoreException(
                    Reason.BAD_RANGE,
                    g.fragment(),
                    "offset " + g.offset() + " past the end of " + whole.remaining() + " bytes");
              }
              return whole.position(whole.position() + (int) g.offset());
            });
  }

  private CompletableFuture<Boolean> delete(Hash256 h) {
    if (!context.deletion().mayDelete(h)) {
      return CompletableFuture.failedFuture(
          new ProtocolException(
              ErrorCode.DELETE_REFUSED, "fragment " + h + " is still referenced; not deleted"));
    }
    return context.store().delete(h);
  }

  private CompletableFuture<List<FragmentMerkle.Proof>> prove(ProveRequest p) {
    return context
        .store()
        .get(p.fragment())
        .thenApply(
            buf -> {
              byte[] data = new byte[buf.remaining()];
              buf.get(data);
              int count = FragmentMerkle.leafCount(data.length);
              List<FragmentMerkle.Proof> proofs = new ArrayList<>();
              for (int leaf : p.leaves()) {
                if (leaf >= count) {
                  throw new FragmentStoreException(
                      Reason.BAD_RANGE,
                      p.fragment(),
                      "leaf " + leaf + " asked, the fragment has " + count);
                }
                proofs.add(FragmentMerkle.prove(data, 0, data.length, leaf));
              }
              return proofs;
            });
  }

  private <T> void call(
      ChannelHandlerContext ctx,
      long id,
      Supplier<CompletableFuture<T>> op,
      BiConsumer<ChannelHandlerContext, T> onSuccess) {
    call(ctx, id, op, onSuccess, () -> {});
  }

  private <T> void call(
      ChannelHandlerContext ctx,
      long id,
      Supplier<CompletableFuture<T>> op,
      BiConsumer<ChannelHandlerContext, T> onSuccess,
      Runnable cleanup) {
    busy.add(id);
    pending++;
    updateAutoRead(ctx);
    CompletableFuture.supplyAsync(op, context.storeExecutor())
        .thenCompose(f -> f)
        .whenCompleteAsync(
            (result, e) -> {
              cleanup.run();
              busy.remove(id);
              pending--;
              updateAutoRead(ctx);
              if (e != null) {
                sendError(ctx, id, StoreErrors.toError(e));
              } else {
                onSuccess.accept(ctx, result);
              }
            },
            ctx.executor());
  }

  private void updateAutoRead(ChannelHandlerContext ctx) {
    boolean read = pending < context.options().maxPendingOps();
    if (ctx.channel().config().isAutoRead() != read) {
      ctx.channel().config().setAutoRead(read);
    }
  }

  private void answer(ChannelHandlerContext ctx, long id, FrameType type, ByteBuf payload) {
    ctx.writeAndFlush(Frame.of(type, id, payload));
  }

  private void error(ChannelHandlerContext ctx, long id, ErrorCode code, String message) {
    sendError(ctx, id, new ErrorMessage(code, message));
  }

  private void sendError(ChannelHandlerContext ctx, long id, ErrorMessage m) {
    ctx.writeAndFlush(Frame.of(FrameType.ERROR, id, m.encode(ctx.alloc())));
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    out.resume(ctx);
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      if (pending == 0 || !ctx.channel().isWritable()) {
        fatal(
            ctx,
            new ErrorMessage(
                ErrorCode.TIMEOUT,
                "no bytes from the peer for "
                    + context.options().idleTimeout().toMillis()
                    + " ms"));
      }
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    ErrorMessage m = StoreErrors.toError(c);
    if (!(c instanceof ProtocolException)) {
      LOG.warn(
          "closing connection of {} from {}: {}",
          client,
          ctx.channel().remoteAddress(),
          c.toString());
      LOG.debug("cause", c);
    }
    fatal(ctx, m);
  }

  private void fatal(ChannelHandlerContext ctx, ErrorMessage m) {
    if (closing) {
      return;
    }
    closing = true;
    LOG.debug("closing {} from {}: {}", client, ctx.channel().remoteAddress(), m);
    ctx.writeAndFlush(Frame.of(FrameType.ERROR, 0, m.encode(ctx.alloc())))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    for (Upload u : uploads.values()) {
      if (u.timeout != null) {
        u.timeout.cancel(false);
      }
      release(u);
    }
    uploads.clear();
    out.releaseAll();
    ctx.fireChannelInactive();
  }
}
