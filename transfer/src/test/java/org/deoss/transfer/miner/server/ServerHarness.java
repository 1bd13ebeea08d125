package org.deoss.transfer.miner.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.InMemoryFragmentStore;
import org.deoss.transfer.protocol.Frame;
import org.deoss.transfer.protocol.FrameDecoder;
import org.deoss.transfer.protocol.FrameEncoder;
import org.deoss.transfer.protocol.FrameType;
import org.deoss.transfer.protocol.HandshakeSignatures;
import org.deoss.transfer.protocol.Messages;

/**
 * The miner's pipeline in an {@link EmbeddedChannel} with frozen time, a direct store executor and
 * an in-memory store; speaks frames in and decodes the frames that come out.
 */
final class ServerHarness implements AutoCloseable {
  static final SecureRandom RANDOM = new SecureRandom();

  final AccountKeys minerKeys = AccountKeys.generate(RANDOM);
  final AccountKeys clientKeys = AccountKeys.generate(RANDOM);
  final FragmentStore store = new InMemoryFragmentStore(64L << 20);
  final EmbeddedChannel channel = new EmbeddedChannel();
  private final EmbeddedChannel outDecoder = new EmbeddedChannel(new FrameDecoder(8 << 20));
  private final EmbeddedChannel inEncoder = new EmbeddedChannel(FrameEncoder.INSTANCE);

  ServerHarness(Admission admission, DeletionPolicy deletion) {
    this(admission, deletion, Runnable::run);
  }

  ServerHarness(Admission admission, DeletionPolicy deletion, Executor storeExecutor) {
    MinerServerOptions options = MinerServerOptions.defaults("127.0.0.1", 0);
    ServerContext context =
        new ServerContext(
            minerKeys, store, admission, deletion, storeExecutor, options, RANDOM, null);
    channel.freezeTime();
    channel
        .pipeline()
        .addLast(
            new FrameDecoder(options.maxPayload()),
            FrameEncoder.INSTANCE,
            new ServerHandshakeHandler(context));
  }

  ServerHarness() {
    this(Admission.ANYONE, DeletionPolicy.ALWAYS);
  }

  /** Sends a frame as bytes. */
  void send(Frame f) {
    inEncoder.writeOutbound(f);
    ByteBuf part;
    while ((part = inEncoder.readOutbound()) != null) {
      sendBytes(part);
    }
  }

  void sendBytes(ByteBuf bytes) {
    if (!channel.isOpen()) {
      bytes.release();
      return;
    }
    try {
      channel.writeInbound(bytes);
    } catch (RuntimeException e) {
      // the server turns it into an ERROR frame; nothing escapes a real pipeline
    }
    channel.runPendingTasks();
  }

  /** Every frame the server has written so far; the caller releases them. */
  List<Frame> received() {
    channel.runPendingTasks();
    ByteBuf part;
    while ((part = channel.readOutbound()) != null) {
      outDecoder.writeInbound(part);
    }
    List<Frame> frames = new ArrayList<>();
    Frame f;
    while ((f = outDecoder.readInbound()) != null) {
      frames.add(f);
    }
    return frames;
  }

  /** The single frame written since the last call; released here after {@code check}. */
  Frame one() {
    List<Frame> frames = received();
    if (frames.size() != 1) {
      frames.forEach(Frame::release);
      throw new AssertionError("expected one frame from the miner, got " + frames);
    }
    return frames.get(0);
  }

  /** The client's nonce in {@link #hello()}. */
  final byte[] clientNonce = new byte[32];

  /** Sends HELLO and returns the miner's HELLO_ACK. */
  Messages.HelloAck hello() {
    RANDOM.nextBytes(clientNonce);
    send(
        Frame.of(
            FrameType.HELLO,
            0,
            new Messages.Hello(1, 1, clientNonce, clientKeys.id()).encode(channel.alloc())));
    Frame f = one();
    try {
      if (f.type() != FrameType.HELLO_ACK) {
        throw new AssertionError("expected HELLO_ACK, got " + f);
      }
      return Messages.HelloAck.decode(f.payload());
    } finally {
      f.release();
    }
  }

  /** The AUTH signature a client with {@code keys} would send. */
  byte[] authSignature(AccountKeys keys, Messages.HelloAck ack, AccountId claimed) {
    return keys.sign(HandshakeSignatures.clientMessage(ack.nonce(), claimed, minerKeys.id()));
  }

  void auth(byte[] signature) {
    send(Frame.of(FrameType.AUTH, 0, Messages.encodeAuth(channel.alloc(), signature)));
  }

  /** Runs the whole handshake and checks AUTH_OK. */
  void handshake() {
    Messages.HelloAck ack = hello();
    auth(authSignature(clientKeys, ack, clientKeys.id()));
    Frame f = one();
    f.release();
    if (f.type() != FrameType.AUTH_OK) {
      throw new AssertionError("expected AUTH_OK, got " + f);
    }
  }

  @Override
  public void close() {
    channel.finishAndReleaseAll();
    received().forEach(Frame::release);
    outDecoder.finishAndReleaseAll();
    inEncoder.finishAndReleaseAll();
  }
}
