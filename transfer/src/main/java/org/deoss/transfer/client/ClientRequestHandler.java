package org.deoss.transfer.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.deoss.transfer.protocol.ErrorCode;
import org.deoss.transfer.protocol.Frame;
import org.deoss.transfer.protocol.FrameType;
import org.deoss.transfer.protocol.Messages.ErrorMessage;
import org.deoss.transfer.protocol.Messages.PutBegin;
import org.deoss.transfer.protocol.OutboundStreams;
import org.deoss.transfer.protocol.ProtocolException;

/**
 * The client's request multiplexer for one connection.
 *
 * <p>State lives on the channel's event loop and only there: {@link #start} must be called on it
 * ({@link MinerConnection} hops there). Each request gets the next request id, a timeout and an
 * entry in {@code pending}; answers are matched by id; answers for unknown ids (timed out) are
 * dropped.
 *
 * <p><b>PUT window.</b> The miner announced how many PUT bytes a connection may have open; a PUT
 * begins only while the bytes of begun-but-unanswered PUTs plus its own fit (or nothing else is
 * open), else it waits in {@code waiting}. A begun PUT holds its share until the miner answers,
 * even after a client-side timeout, so the client's count never undercounts the miner's.
 */
final class ClientRequestHandler extends SimpleChannelInboundHandler<Frame> {
  /** One request from call to answer. */
  static final class Request {
    final FrameType request;
    final ByteBuf payload;
    final FrameType answer;
    final Function<ByteBuf, Object> decode;
    final Hash256 fragment;
    final CompletableFuture<Object> future = new CompletableFuture<>();
    ByteBuffer putData;
    long putLength = -1;
    long getLimit = -1;
    boolean exact;
    byte[] got;
    int gotLength;
    long id;
    boolean begun;
    ScheduledFuture<?> timeout;

    Request(
        FrameType request,
        ByteBuf payload,
        FrameType answer,
        Function<ByteBuf, Object> decode,
        Hash256 fragment) {
      this.request = request;
      this.payload = payload;
      this.answer = answer;
      this.decode = decode;
      this.fragment = fragment;
    }
  }

  private final AccountId miner;
  private final ClientOptions options;
  private final Map<Long, Request> pending = new HashMap<>();
  private final ArrayDeque<Request> waiting = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private OutboundStreams out;
  private long putWindow;
  private long putOpen;
  private long nextId = 1;
  private FragmentStoreException closed;

  ClientRequestHandler(AccountId miner, ClientOptions options) {
    this.miner = miner;
    this.options = options;
  }

  void setLimits(ClientHandshakeHandler.Limits limits) {
    this.putWindow = limits.putWindow();
    this.out = new OutboundStreams(Math.min(options.chunkSize(), limits.maxPayload()));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Sends {@code r}; on the event loop. */
  void start(Request r) {
    if (closed != null || ctx == null || !ctx.channel().isActive()) {
      r.payload.release();
      r.future.completeExceptionally(
          closed != null
              ? closed
              : new FragmentStoreException(
                  Reason.UNAVAILABLE, r.fragment, "connection to miner " + miner + " is closed"));
      return;
    }
    r.id = nextId++;
    long ms = options.requestTimeout().toMillis();
    r.timeout = ctx.executor().schedule(() -> expire(r, ms), ms, TimeUnit.MILLISECONDS);
    pending.put(r.id, r);
    if (r.request == FrameType.PUT_BEGIN) {
      if (putOpen > 0 && putOpen + r.putLength > putWindow) {
        waiting.add(r);
      } else {
        begin(r);
      }
    } else {
      ctx.writeAndFlush(Frame.of(r.request, r.id, r.payload));
    }
  }

  private void begin(Request r) {
    r.begun = true;
    putOpen += r.putLength;
    ctx.write(Frame.of(FrameType.PUT_BEGIN, r.id, r.payload));
    ByteBuf data = ctx.alloc().buffer((int) r.putLength).writeBytes(r.putData.duplicate());
    r.putData = null;
    out.send(ctx, r.id, data, Frame.empty(FrameType.PUT_END, r.id), () -> {});
  }

  private void expire(Request r, long ms) {
    if (pending.get(r.id) != r) {
      return;
    }
    if (!r.begun || r.request != FrameType.PUT_BEGIN) {
      pending.remove(r.id);
      if (waiting.remove(r)) {
        r.payload.release();
      }
    }
    r.future.completeExceptionally(
        new FragmentStoreException(
            Reason.UNAVAILABLE,
            r.fragment,
            "miner " + miner + " did not answer " + r.request + " within " + ms + " ms"));
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
    if (f.requestId() == 0) {
      if (f.type() == FrameType.ERROR) {
        ErrorMessage m = ErrorMessage.decode(f.payload());
        closeWith(
            new FragmentStoreException(
                m.code().reason(),
                null,
                "miner " + miner + " closed the connection: " + m.code() + " " + m.message()));
        return;
      }
      throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, f.type() + " with request id 0");
    }
    Request r = pending.get(f.requestId());
    if (r == null) {
      return;
    }
    switch (f.type()) {
      case DATA -> data(r, f.payload());
      case ERROR -> {
        ErrorMessage m = ErrorMessage.decode(f.payload());
        finish(r)
            .completeExceptionally(
                new FragmentStoreException(
                    m.code().reason(),
                    r.fragment,
                    "miner " + miner + ": " + m.code() + " " + m.message()));
      }
      default -> {
        if (f.type() != r.answer) {
          throw new ProtocolException(
              ErrorCode.UNKNOWN_TYPE, f.type() + " in answer to " + r.request + " #" + r.id);
        }
        if (r.answer == FrameType.END && r.exact && r.gotLength != r.getLimit) {
          finish(r)
              .completeExceptionally(
                  new FragmentStoreException(
                      Reason.PROTOCOL,
                      r.fragment,
                      "miner "
                          + miner
                          + " ended a GET after "
                          + r.gotLength
                          + " of "
                          + r.getLimit
                          + " bytes"));
        } else if (r.answer == FrameType.END) {
          finish(r).complete(ByteBuffer.wrap(r.got == null ? new byte[0] : r.got, 0, r.gotLength));
        } else {
          Object value = r.decode.apply(f.payload());
          finish(r).complete(value);
        }
      }
    }
  }

  private void data(Request r, ByteBuf chunk) {
    if (r.answer != FrameType.END) {
      throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "DATA in answer to " + r.request);
    }
    int n = chunk.readableBytes();
    if (r.gotLength + (long) n > r.getLimit) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_FRAME, "miner sent more than the " + r.getLimit + " bytes asked for");
    }
    if (r.got == null || r.got.length < r.gotLength + n) {
      long want =
          r.exact
              ? r.getLimit
              : Math.min(r.getLimit, Math.max(r.gotLength + (long) n, 2L * r.gotLength));
      r.got = r.got == null ? new byte[(int) want] : Arrays.copyOf(r.got, (int) want);
    }
    chunk.readBytes(r.got, r.gotLength, n);
    r.gotLength += n;
  }

  private CompletableFuture<Object> finish(Request r) {
    pending.remove(r.id);
    r.timeout.cancel(false);
    if (r.begun && r.request == FrameType.PUT_BEGIN) {
      putOpen -= r.putLength;
      drainWaiting();
    }
    return r.future;
  }

  private void drainWaiting() {
    while (!waiting.isEmpty()) {
      Request next = waiting.peek();
      if (putOpen > 0 && putOpen + next.putLength > putWindow) {
        return;
      }
      waiting.poll();
      begin(next);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (out != null) {
      out.resume(ctx);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    closeWith(
        new FragmentStoreException(
            Reason.PROTOCOL, null, "miner " + miner + " broke the protocol: " + c.getMessage(), c));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closeWith(
        new FragmentStoreException(
            Reason.UNAVAILABLE, null, "connection to miner " + miner + " closed"));
    ctx.fireChannelInactive();
  }

  private void closeWith(FragmentStoreException cause) {
    if (closed == null) {
      closed = cause;
    }
    List<Request> all = new ArrayList<>(pending.values());
    pending.clear();
    for (Iterator<Request> it = waiting.iterator(); it.hasNext(); ) {
      it.next().payload.release();
      it.remove();
    }
    for (Request r : all) {
      r.timeout.cancel(false);
      r.future.completeExceptionally(closed);
    }
    if (out != null) {
      out.releaseAll();
    }
    ctx.close();
  }

  static Request put(Hash256 id, ByteBuffer data, ByteBufAllocator alloc) {
    Request r =
        new Request(
            FrameType.PUT_BEGIN,
            new PutBegin(id, data.remaining()).encode(alloc),
            FrameType.PUT_OK,
            p -> null,
            id);
    r.putData = data.duplicate();
    r.putLength = data.remaining();
    return r;
  }
}
