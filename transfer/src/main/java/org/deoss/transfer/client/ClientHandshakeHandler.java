package org.deoss.transfer.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.deoss.transfer.protocol.ErrorCode;
import org.deoss.transfer.protocol.Frame;
import org.deoss.transfer.protocol.FrameType;
import org.deoss.transfer.protocol.HandshakeSignatures;
import org.deoss.transfer.protocol.Messages;
import org.deoss.transfer.protocol.Messages.ErrorMessage;
import org.deoss.transfer.protocol.Messages.Hello;
import org.deoss.transfer.protocol.Messages.HelloAck;
import org.deoss.transfer.protocol.ProtocolException;

/**
 * The client's side of the handshake: sends HELLO when connected, checks HELLO_ACK (version, the
 * expected miner account, the miner's signature over our nonce), answers AUTH, and on AUTH_OK
 * completes {@link #done()} with the miner's limits and replaces itself with the request handler.
 * Any failure or the timeout fails {@link #done()} and closes. Event-loop only.
 */
final class ClientHandshakeHandler extends SimpleChannelInboundHandler<Frame> {
  /** What the miner announced. */
  record Limits(int maxPayload, long putWindow) {}

  private final AccountKeys keys;
  private final AccountId expectedMiner;
  private final ClientOptions options;
  private final SecureRandom random;
  private final ClientRequestHandler requests;
  private final CompletableFuture<Limits> done = new CompletableFuture<>();
  private byte[] nonce;
  private Limits limits;
  private ScheduledFuture<?> timeout;

  ClientHandshakeHandler(
      AccountKeys keys,
      AccountId expectedMiner,
      ClientOptions options,
      SecureRandom random,
      ClientRequestHandler requests) {
    this.keys = keys;
    this.expectedMiner = expectedMiner;
    this.options = options;
    this.random = random;
    this.requests = requests;
  }

  CompletableFuture<Limits> done() {
    return done;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long ms = options.handshakeTimeout().toMillis();
    timeout =
        ctx.executor()
            .schedule(
                () ->
                    fail(
                        ctx,
                        Reason.UNAVAILABLE,
                        "handshake with " + expectedMiner + " not completed within " + ms + " ms"),
                ms,
                TimeUnit.MILLISECONDS);
    nonce = new byte[Messages.NONCE_LENGTH];
    random.nextBytes(nonce);
    Hello hello = new Hello(Frame.VERSION_1, Frame.VERSION_1, nonce, keys.id());
    ctx.writeAndFlush(Frame.of(FrameType.HELLO, 0, hello.encode(ctx.alloc())));
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
    if (f.type() == FrameType.HELLO_ACK && limits == null) {
      HelloAck ack = HelloAck.decode(f.payload());
      if (ack.version() != Frame.VERSION_1) {
        throw new ProtocolException(
            ErrorCode.UNSUPPORTED_VERSION, "miner chose version " + ack.version());
      }
      if (!ack.miner().equals(expectedMiner)) {
        throw new ProtocolException(
            ErrorCode.AUTH_FAILED,
            "expected miner " + expectedMiner + " but the peer is " + ack.miner());
      }
      byte[] signed = HandshakeSignatures.minerMessage(nonce, keys.id(), expectedMiner);
      if (!expectedMiner.verify(signed, ack.signature())) {
        throw new ProtocolException(
            ErrorCode.AUTH_FAILED, "bad handshake signature from miner " + expectedMiner);
      }
      limits = new Limits(ack.maxPayload(), ack.putWindow());
      byte[] mine =
          keys.sign(HandshakeSignatures.clientMessage(ack.nonce(), keys.id(), expectedMiner));
      ctx.writeAndFlush(Frame.of(FrameType.AUTH, 0, Messages.encodeAuth(ctx.alloc(), mine)));
    } else if (f.type() == FrameType.AUTH_OK && limits != null) {
      timeout.cancel(false);
      requests.setLimits(limits);
      ctx.pipeline().replace(this, "requests", requests);
      done.complete(limits);
    } else if (f.type() == FrameType.ERROR) {
      ErrorMessage m = ErrorMessage.decode(f.payload());
      fail(
          ctx,
          m.code().reason(),
          "miner " + expectedMiner + " refused the handshake: " + m.code() + " " + m.message());
    } else {
      throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, f.type() + " during the handshake");
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(
        ctx,
        Reason.UNAVAILABLE,
        "miner " + expectedMiner + " closed the connection during the handshake");
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    fail(ctx, Reason.PROTOCOL, "handshake with " + expectedMiner + " failed: " + c.getMessage());
  }

  private void fail(ChannelHandlerContext ctx, Reason reason, String message) {
    if (timeout != null) {
      timeout.cancel(false);
    }
    if (done.completeExceptionally(new FragmentStoreException(reason, null, message))) {
      ctx.close();
    }
  }
}
