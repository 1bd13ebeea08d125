package org.deoss.transfer.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.deoss.transfer.protocol.FrameType;
import org.deoss.transfer.protocol.Messages;
import org.deoss.transfer.protocol.Messages.GetRequest;
import org.deoss.transfer.protocol.Messages.ProveRequest;
import org.deoss.transfer.protocol.Messages.StatsResult;

/**
 * One authenticated connection to one miner, as a {@link FragmentStore}. Requests are multiplexed
 * on the connection; PUTs stream in chunks within the window the miner announced.
 *
 * <p>Every method may be called from any thread and returns at once. Futures complete on the
 * connection's event loop: callers must not block in dependent stages (use the {@code *Async}
 * variants with their own executor). Every request has the timeout of {@link
 * ClientOptions#requestTimeout()}; a closed connection fails every request with {@link
 * Reason#UNAVAILABLE}. Thread-safe.
 */
public final class MinerConnection implements FragmentStore, AutoCloseable {
  private final Channel channel;
  private final ClientRequestHandler requests;
  private final AccountId miner;
  private final long maxFragmentLength;

  private MinerConnection(
      Channel channel, ClientRequestHandler requests, AccountId miner, long maxFragmentLength) {
    this.channel = channel;
    this.requests = requests;
    this.miner = miner;
    this.maxFragmentLength = maxFragmentLength;
  }

  /**
   * Connects to {@code endpoint} and runs the handshake. The future fails with a {@link
   * FragmentStoreException}: {@link Reason#UNAVAILABLE} if the miner cannot be reached or does not
   * finish the handshake in time, {@link Reason#PROTOCOL} if the peer is not {@code expectedMiner}
   * (by its signature) or refuses this client.
   *
   * @param group a NIO event loop group (for example {@code new MultiThreadIoEventLoopGroup(
   *     NioIoHandler.newFactory())}), owned by the caller
   * @param expectedMiner the miner's account as registered on the ledger
   */
  public static CompletableFuture<MinerConnection> connect(
      EventLoopGroup group,
      InetSocketAddress endpoint,
      AccountId expectedMiner,
      AccountKeys clientKeys,
      ClientOptions options,
      SecureRandom random) {
    return connect(group, endpoint, expectedMiner, clientKeys, options, random, null);
  }

  /**
   * As {@link #connect(EventLoopGroup, InetSocketAddress, AccountId, AccountKeys, ClientOptions,
   * SecureRandom)}, inside TLS when {@code tls} (a client {@link SslContext}) is not {@code null}.
   * The miner is authenticated by its Ed25519 signature either way; certificate checks are those
   * {@code tls} was built with.
   */
  public static CompletableFuture<MinerConnection> connect(
      EventLoopGroup group,
      InetSocketAddress endpoint,
      AccountId expectedMiner,
      AccountKeys clientKeys,
      ClientOptions options,
      SecureRandom random,
      SslContext tls) {
    Objects.requireNonNull(endpoint, "endpoint");
    ClientRequestHandler requests = new ClientRequestHandler(expectedMiner, options);
    ClientHandshakeHandler handshake =
        new ClientHandshakeHandler(clientKeys, expectedMiner, options, random, requests);
    ChannelFuture cf =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
            .handler(new ClientChannelInitializer(options.maxPayload(), handshake, tls, endpoint))
            .connect(endpoint);
    CompletableFuture<MinerConnection> result = new CompletableFuture<>();
    cf.addListener(
        f -> {
          if (!f.isSuccess()) {
            result.completeExceptionally(
                new FragmentStoreException(
                    Reason.UNAVAILABLE,
                    null,
                    "cannot connect to miner "
                        + expectedMiner
                        + " at "
                        + endpoint
                        + ": "
                        + f.cause(),
                    f.cause()));
          }
        });
    handshake
        .done()
        .whenComplete(
            (limits, e) -> {
              if (e != null) {
                result.completeExceptionally(e);
              } else {
                result.complete(
                    new MinerConnection(
                        cf.channel(), requests, expectedMiner, options.maxFragmentLength()));
              }
            });
    return result;
  }

  /** The miner at the other end, as proven in the handshake. */
  public AccountId miner() {
    return miner;
  }

  /** Whether the connection is still open. */
  public boolean isOpen() {
    return channel.isActive();
  }

  /** Completes when the connection has closed, for whatever reason. */
  public CompletableFuture<Void> closed() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    channel.closeFuture().addListener(x -> f.complete(null));
    return f;
  }

  @Override
  public CompletableFuture<Void> put(Hash256 hash, ByteBuffer data) {
    Objects.requireNonNull(hash, "hash");
    return submit(ClientRequestHandler.put(hash, data, ByteBufAllocator.DEFAULT));
  }

  @Override
  public CompletableFuture<ByteBuffer> get(Hash256 hash, long offset, int length) {
    if (offset < 0 || length < 0) {
      return CompletableFuture.failedFuture(
          new FragmentStoreException(
              Reason.BAD_RANGE, hash, "range at offset " + offset + " of length " + length));
    }
    return get(hash, offset, length, true);
  }

  @Override
  public CompletableFuture<ByteBuffer> get(Hash256 hash) {
    return get(hash, 0, GetRequest.TO_END, false);
  }

  private CompletableFuture<ByteBuffer> get(Hash256 hash, long offset, long length, boolean exact) {
    ClientRequestHandler.Request r =
        new ClientRequestHandler.Request(
            FrameType.GET,
            new GetRequest(hash, offset, length).encode(ByteBufAllocator.DEFAULT),
            FrameType.END,
            p -> null,
            hash);
    r.getLimit = exact ? length : maxFragmentLength;
    r.exact = exact;
    return submit(r);
  }

  @Override
  public CompletableFuture<Boolean> has(Hash256 hash) {
    return submit(
        new ClientRequestHandler.Request(
            FrameType.HAS,
            Messages.encodeId(ByteBufAllocator.DEFAULT, hash),
            FrameType.HAS_RESULT,
            p -> Messages.decodeBoolean(p, "HAS_RESULT"),
            hash));
  }

  @Override
  public CompletableFuture<Boolean> delete(Hash256 hash) {
    return submit(
        new ClientRequestHandler.Request(
            FrameType.DELETE,
            Messages.encodeId(ByteBufAllocator.DEFAULT, hash),
            FrameType.DELETE_RESULT,
            p -> Messages.decodeBoolean(p, "DELETE_RESULT"),
            hash));
  }

  @Override
  public CompletableFuture<Stats> stats() {
    return this.<StatsResult>submit(
            new ClientRequestHandler.Request(
                FrameType.STATS,
                Unpooled.EMPTY_BUFFER,
                FrameType.STATS_RESULT,
                StatsResult::decode,
                null))
        .thenApply(s -> new Stats(s.fragments(), s.usedBytes(), s.capacityBytes()));
  }

  /**
   * Asks the miner to prove it holds the given leaves (at most {@value Messages#MAX_PROVE_LEAVES});
   * the caller verifies each proof against the fragment's id.
   */
  public CompletableFuture<List<FragmentMerkle.Proof>> prove(Hash256 hash, int... leaves) {
    ProveRequest p;
    try {
      p = new ProveRequest(hash, leaves);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new FragmentStoreException(Reason.BAD_RANGE, hash, e.getMessage()));
    }
    return submit(
        new ClientRequestHandler.Request(
            FrameType.PROVE,
            p.encode(ByteBufAllocator.DEFAULT),
            FrameType.PROOFS,
            Messages::decodeProofs,
            hash));
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> submit(ClientRequestHandler.Request r) {
    try {
      channel.eventLoop().execute(() -> requests.start(r));
    } catch (RejectedExecutionException e) {
      r.payload.release();
      r.future.completeExceptionally(
          new FragmentStoreException(
              Reason.UNAVAILABLE, r.fragment, "connection to miner " + miner + " is shut down"));
    }
    return (CompletableFuture<T>) (CompletableFuture<?>) r.future;
  }

  /** Closes the connection; outstanding requests fail with UNAVAILABLE. */
  @Override
  public void close() {
    channel.close();
  }

  @Override
  public String toString() {
    return "MinerConnection[" + miner + " at " + channel.remoteAddress() + "]";
  }
}
