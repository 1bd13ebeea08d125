package org.deoss.transfer.miner.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.deoss.core.account.AccountId;
import org.deoss.transfer.protocol.ErrorCode;
import org.deoss.transfer.protocol.Frame;
import org.deoss.transfer.protocol.FrameType;
import org.deoss.transfer.protocol.HandshakeSignatures;
import org.deoss.transfer.protocol.Messages;
import org.deoss.transfer.protocol.Messages.ErrorMessage;
import org.deoss.transfer.protocol.Messages.Hello;
import org.deoss.transfer.protocol.Messages.HelloAck;
import org.deoss.transfer.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The miner's side of the handshake. States: AWAIT_HELLO → AWAIT_AUTH → CHECKING (admission runs on
 * the store executor) → done (this handler replaces itself with a {@link MinerRequestHandler}).
 * Anything else that arrives, any bad signature, a refused account or the handshake timeout sends
 * an ERROR frame and closes. Event-loop only.
 */
final class ServerHandshakeHandler extends SimpleChannelInboundHandler<Frame> {
  private static final Logger LOG = LoggerFactory.getLogger(ServerHandshakeHandler.class);

  private enum State {
    AWAIT_HELLO,
    AWAIT_AUTH,
    CHECKING,
    DONE
  }

  private final ServerContext context;
  private State state = State.AWAIT_HELLO;
  private byte[] nonce;
  private AccountId client;
  private ScheduledFuture<?> timeout;

  ServerHandshakeHandler(ServerContext context) {
    this.context = context;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    long ms = context.options().handshakeTimeout().toMillis();
    timeout =
        ctx.executor()
            .schedule(
                () -> fail(ctx, ErrorCode.TIMEOUT, "handshake not completed within " + ms + " ms"),
                ms,
                TimeUnit.MILLISECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    timeout.cancel(false);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    if (state == State.AWAIT_HELLO && frame.type() == FrameType.HELLO) {
      onHello(ctx, Hello.decode(frame.payload()));
    } else if (state == State.AWAIT_AUTH && frame.type() == FrameType.AUTH) {
      onAuth(ctx, Messages.decodeAuth(frame.payload()));
    } else if (frame.type() == FrameType.ERROR) {
      ctx.close();
    } else if (state == State.AWAIT_HELLO && frame.type() != FrameType.HELLO) {
      throw new ProtocolException(
          ErrorCode.NOT_AUTHENTICATED, frame.type() + " before the handshake; send HELLO first");
    } else {
      throw new ProtocolException(
          ErrorCode.NOT_AUTHENTICATED,
          frame.type() + " during the handshake (state " + state + ")");
    }
  }

  private void onHello(ChannelHandlerContext ctx, Hello hello) {
    if (hello.minVersion() > Frame.VERSION_1 || hello.maxVersion() < Frame.VERSION_1) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_VERSION,
          "client speaks versions "
              + hello.minVersion()
              + ".."
              + hello.maxVersion()
              + ", this miner speaks 1");
    }
    client = hello.client();
    nonce = new byte[Messages.NONCE_LENGTH];
    context.random().nextBytes(nonce);
    AccountId miner = context.keys().id();
    byte[] signature =
        context.keys().sign(HandshakeSignatures.minerMessage(hello.nonce(), client, miner));
    MinerServerOptions o = context.options();
    HelloAck ack =
        new HelloAck(Frame.VERSION_1, nonce, miner, signature, o.maxPayload(), o.putWindow());
    state = State.AWAIT_AUTH;
    ctx.writeAndFlush(Frame.of(FrameType.HELLO_ACK, 0, ack.encode(ctx.alloc())));
  }

  private void onAuth(ChannelHandlerContext ctx, byte[] signature) {
    byte[] signed = HandshakeSignatures.clientMessage(nonce, client, context.keys().id());
    if (!client.verify(signed, signature)) {
      throw new ProtocolException(
          ErrorCode.AUTH_FAILED, "bad handshake signature for account " + client);
    }
    state = State.CHECKING;
    AccountId who = client;
    CompletableFuture.supplyAsync(() -> context.admission().admits(who), context.storeExecutor())
        .whenCompleteAsync(
            (admitted, error) -> {
              if (error != null || !Boolean.TRUE.equals(admitted)) {
                LOG.info("refused account {} from {}", who, ctx.channel().remoteAddress());
                fail(
                    ctx,
                    ErrorCode.AUTH_FAILED,
                    error != null
                        ? "cannot check account " + who + " now: " + error
                        : "account " + who + " is not admitted by this miner");
                return;
              }
              if (!ctx.channel().isActive() || state != State.CHECKING) {
                return;
              }
              state = State.DONE;
              ctx.pipeline().replace(this, "requests", new MinerRequestHandler(context, who));
              ctx.writeAndFlush(Frame.empty(FrameType.AUTH_OK, 0));
              LOG.debug("admitted {} from {}", who, ctx.channel().remoteAddress());
            },
            ctx.executor());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      fail(ctx, ErrorCode.TIMEOUT, "no bytes from the peer during the handshake");
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    ErrorMessage error = StoreErrors.toError(c);
    fail(ctx, error.code(), error.message());
  }

  private void fail(ChannelHandlerContext ctx, ErrorCode code, String message) {
    if (state == State.DONE || !ctx.channel().isActive()) {
      return;
    }
    state = State.DONE;
    LOG.debug("handshake with {} failed: {} {}", ctx.channel().remoteAddress(), code, message);
    ctx.writeAndFlush(
            Frame.of(FrameType.ERROR, 0, new ErrorMessage(code, message).encode(ctx.alloc())))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
