package org.deoss.transfer.miner.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.port.FragmentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A miner's fragment-protocol server: serves any {@link FragmentStore} to authenticated clients
 * over TCP (protocol in {@code docs/PROTOCOL.md}).
 *
 * <h2>Lifecycle</h2>
 *
 * <pre>
 * NEW --start()--> RUNNING --stop()--> STOPPED
 *  |                                     ^
 *  +--start() fails--> FAILED --stop()---+
 * </pre>
 *
 * {@link #start()} binds and returns the bound address (so port 0 works for tests); {@link #stop()}
 * closes the listening socket and every connection and shuts down the server's own event loops.
 * Both may be called from any thread except the server's event loops; stop is idempotent. The store
 * executor is the caller's: the server never shuts it down.
 */
public final class MinerServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MinerServer.class);

  /** Where a server is in its life. */
  public enum State {
    NEW,
    RUNNING,
    FAILED,
    STOPPED
  }

  private final ServerContext context;
  private State state = State.NEW;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel listener;

  /** A server on plain TCP; see the full constructor. */
  public MinerServer(
      AccountKeys keys,
      FragmentStore store,
      Admission admission,
      DeletionPolicy deletion,
      Executor storeExecutor,
      MinerServerOptions options,
      SecureRandom random) {
    this(keys, store, admission, deletion, storeExecutor, options, random, null);
  }

  /**
   * @param keys the miner's account keys (its id is the one registered on the ledger)
   * @param store where fragments live; its calls run on {@code storeExecutor}
   * @param admission which client accounts may connect
   * @param deletion which fragments clients may delete
   * @param storeExecutor runs store calls, admission and deletion checks (they may block)
   * @param options where to listen and what to tolerate
   * @param random source of handshake nonces
   * @param tls a server {@link SslContext} to wrap every connection in TLS, or {@code null} for
   *     plain TCP. TLS adds confidentiality on links that cross networks; peers are authenticated
   *     by the Ed25519 handshake inside it either way.
   */
  public MinerServer(
      AccountKeys keys,
      FragmentStore store,
      Admission admission,
      DeletionPolicy deletion,
      Executor storeExecutor,
      MinerServerOptions options,
      SecureRandom random,
      SslContext tls) {
    if (tls != null && !tls.isServer()) {
      throw new IllegalArgumentException("tls must be a server SslContext");
    }
    this.context =
        new ServerContext(
            Objects.requireNonNull(keys, "keys"),
            Objects.requireNonNull(store, "store"),
            Objects.requireNonNull(admission, "admission"),
            Objects.requireNonNull(deletion, "deletion"),
            Objects.requireNonNull(storeExecutor, "storeExecutor"),
            Objects.requireNonNull(options, "options"),
            Objects.requireNonNull(random, "random"),
            tls);
  }

  /** Every accepted connection, so that {@link #stop()} closes them all before the loops stop. */
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  /** Binds and starts serving; returns the bound address. */
  public synchronized InetSocketAddress start() {
    if (state != State.NEW) {
      throw new IllegalStateException("start() in state " + state + "; a server starts once");
    }
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    MinerServerOptions o = context.options();
    try {
      listener =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 256)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      connections.add(ch);
                      ch.pipeline().addLast(new MinerChannelInitializer(context));
                    }
                  })
              .bind(o.host(), o.port())
              .syncUninterruptibly()
              .channel();
    } catch (Exception e) { // syncUninterruptibly rethrows BindException unchecked
      state = State.FAILED;
      shutdownGroups();
      throw new IllegalStateException(
          "cannot listen on " + o.host() + ":" + o.port() + ": " + e.getMessage(), e);
    }
    state = State.RUNNING;
    InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
    LOG.info("miner {} listening on {}", context.keys().id(), bound);
    return bound;
  }

  /** The bound address. */
  public synchronized InetSocketAddress address() {
    if (state != State.RUNNING) {
      throw new IllegalStateException("no address in state " + state);
    }
    return (InetSocketAddress) listener.localAddress();
  }

  public synchronized State state() {
    return state;
  }

  /** Stops listening and closes every connection. Idempotent. */
  public synchronized void stop() {
    if (state == State.STOPPED) {
      return;
    }
    if (listener != null) {
      listener.close().syncUninterruptibly();
    }
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    shutdownGroups();
    state = State.STOPPED;
  }

  @Override
  public void close() {
    stop();
  }

  private void shutdownGroups() {
    if (boss != null) {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (workers != null) {
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
