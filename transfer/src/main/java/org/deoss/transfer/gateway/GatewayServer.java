package org.deoss.transfer.gateway;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.crypto.X25519KeyPair;
import org.deoss.core.pipeline.ObjectReader;
import org.deoss.core.pipeline.ObjectWriter;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.TxBuilder;
import org.deoss.transfer.client.StorageClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP gateway: DeOSS-style routes over HTTP/1.1 (keep-alive; HTTPS optional) that store and
 * serve objects through the same pipeline as the command line, acting for the accounts that
 * authorized the gateway's own account on the ledger. The routes, headers and statuses are in
 * {@code docs/GATEWAY.md}; {@link GatewayRoutes} lists them.
 *
 * <h2>Streaming</h2>
 *
 * Bodies are never held whole: an upload flows from the socket through a bounded queue ({@link
 * RequestBody}, reading paused above 4 MiB) into the object writer, which encodes and sends one
 * segment while the next arrives; a download flows from the object reader to the socket in 64 KiB
 * chunks, waiting while the socket's send buffer is full.
 *
 * <h2>Threads</h2>
 *
 * {@link GatewayOptions#ioThreads()} event loops run TLS, the HTTP codec and the handler; routes
 * run on {@link GatewayOptions#workerThreads()} worker threads (ledger calls and pipeline reads and
 * writes block). At most {@link GatewayOptions#uploadSlots()} uploads encode at once.
 *
 * <h2>Lifecycle</h2>
 *
 * <pre>
 *   start(..) --> RUNNING --close()--> CLOSED
 * </pre>
 *
 * {@link #close()} stops accepting, closes every connection and the pools; the backend (ledger,
 * writer, reader) belongs to the caller.
 */
public final class GatewayServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

  /**
   * What the gateway works with, owned by the caller.
   *
   * @param keys the gateway's own account, which signs every transaction
   * @param encryption the account's X25519 keys, which open the data keys wrapped for the gateway
   * @param tx the one transaction builder of that account in this process
   * @param clock the clock signed messages are checked against, and object times come from
   */
  public record Backend(
      AccountKeys keys,
      X25519KeyPair encryption,
      LedgerClient ledger,
      TxBuilder tx,
      ObjectWriter writer,
      ObjectReader reader,
      Clock clock,
      SecureRandom random) {
    public Backend {
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(encryption, "encryption");
      Objects.requireNonNull(ledger, "ledger");
      Objects.requireNonNull(tx, "tx");
      Objects.requireNonNull(writer, "writer");
      Objects.requireNonNull(reader, "reader");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(random, "random");
    }

    /**
     * The backend of a gateway whose account is {@code client}'s ({@code keys}): its keys,
     * transaction builder, pipeline writer and reader, the system clock and a fresh SecureRandom.
     * The client and the ledger stay the caller's to close.
     */
    public static Backend of(AccountKeys keys, LedgerClient ledger, StorageClient client) {
      return new Backend(
          keys,
          client.encryption(),
          ledger,
          client.transactions(),
          client.writer(),
          client.reader(),
          Clock.systemUTC(),
          new SecureRandom());
    }
  }

  private final EventLoopGroup boss;
  private final EventLoopGroup io;
  private final ExecutorService workers;
  private final ChannelGroup connections;
  private final Channel channel;
  private final InetSocketAddress address;
  private final GatewayOptions options;
  private final AccountId account;
  private volatile boolean closed;

  private GatewayServer(GatewayOptions options, Backend backend, String version)
      throws InterruptedException {
    this.options = options;
    this.account = backend.keys().id();
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            options.workerThreads(),
            r -> {
              Thread t = new Thread(r, "deoss-gateway-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    Authenticator auth =
        new Authenticator(
            backend.clock(), options.messageWindow(), new ReplayGuard(options.replayCapacity()));
    GatewayRoutes routes = new GatewayRoutes(backend, auth, options.uploadSlots(), version);
    this.connections = new DefaultChannelGroup("deoss-gateway", GlobalEventExecutor.INSTANCE);
    this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.io = new MultiThreadIoEventLoopGroup(options.ioThreads(), NioIoHandler.newFactory());
    try {
      this.channel =
          new ServerBootstrap()
              .group(boss, io)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(
                  ChannelOption.WRITE_BUFFER_WATER_MARK,
                  new WriteBufferWaterMark(256 << 10, 1 << 20))
              .childHandler(new GatewayInitializer(options, routes, workers, connections))
              .bind(options.bind())
              .sync()
              .channel();
    } catch (InterruptedException | RuntimeException e) {
      shutdown();
      throw e;
    }
    this.address = (InetSocketAddress) channel.localAddress();
    LOG.info("gateway {} serving {} on {}", account, options.tls(), uri());
  }

  /**
   * Starts serving on {@link GatewayOptions#bind()}, after publishing the gateway's X25519 key on
   * the ledger if it is not there yet (owners' objects are wrapped for it from then on).
   *
   * @param version what {@code GET /version} answers
   * @throws InterruptedException if interrupted while binding
   * @throws RuntimeException (a {@link java.net.BindException} inside) if the address is taken
   */
  public static GatewayServer start(GatewayOptions options, Backend backend, String version)
      throws InterruptedException {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(version, "version");
    // Owners' objects are wrapped for the gateway only once its key is in the ledger's directory.
    backend.tx().announceKeyIfMissing();
    return new GatewayServer(options, backend, version);
  }

  /** The gateway's account, which owners authorize. */
  public AccountId account() {
    return account;
  }

  public InetSocketAddress address() {
    return address;
  }

  /** {@code http://host:port} or {@code https://host:port}. */
  public URI uri() {
    String host = address.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create(options.tls().scheme() + "://" + host + ":" + address.getPort());
  }

  /** Stops serving: closes the listening socket and every connection. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    channel.close().syncUninterruptibly();
    shutdown();
    LOG.info("gateway on {} stopped", uri());
  }

  private void shutdown() {
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    connections.close().awaitUninterruptibly();
    io.shutdownGracefully(50, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    workers.shutdownNow();
  }
}
