package org.deoss.transfer.node;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.deoss.core.port.LedgerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link LedgerClient} (in practice the process's {@code EmbeddedLedger}) to other
 * processes over HTTP/1.1 with JSON bodies. {@link RemoteLedgerClient} is its client; the API is
 * described in {@code docs/LEDGER-API.md}.
 *
 * <h2>Routes</h2>
 *
 * <pre>
 *   POST /v1/transactions[?wait=false]      body {"transaction": base64 of SignedTransaction.encode()}
 *                                           or the raw bytes as application/octet-stream;
 *                                           200 receipt once durable | 202 {"status":"PENDING"} with
 *                                           wait=false once queued | 4xx rejection | 503
 *   GET  /v1/transactions/{hash}[?wait=S]   outcome of a transaction this node took: 200 receipt,
 *                                           4xx rejection, 202 pending, 404 NOT_FOUND if unknown
 *   POST /v1/transactions/outcomes[?wait=S]  body {"hashes": [...]} (at most 1000); the finished or
 *                                           unknown ones as {"outcomes": [{txHash, status, body}]},
 *                                           waiting up to S seconds for the first to finish
 *   GET  /v1/network                        {"networkId"}
 *   GET  /v1/head                           chain head {height, hash, timeMillis}
 *   GET  /v1/blocks/{height}                block header, 404 if not kept
 *   GET  /v1/blocks?after=H[&amp;wait=S][&amp;limit=N]  {"head", "blocks": [headers above H]}; waits up to S
 *                                           seconds for the first one (long-poll)
 *   GET  /v1/accounts/{address}             balance, nonce, space
 *   GET  /v1/accounts/{address}/nonce       {"nonce"}
 *   GET  /v1/accounts/{address}/authorizations        {"authorizations": [address]}
 *   GET  /v1/accounts/{address}/key                   {"x25519": base64}, 404 if none announced
 *   GET  /v1/accounts/{address}/buckets               {"buckets": [bucket]}
 *   GET  /v1/accounts/{address}/shared?startAfter=&amp;limit=   objects shared with it, list page
 *   GET  /v1/accounts/{address}/buckets/{name}        bucket, 404 if none
 *   GET  /v1/accounts/{address}/buckets/{name}/objects?prefix=&amp;delimiter=&amp;startAfter=&amp;limit=
 *                                           one list page
 *   GET  /v1/accounts/{address}/buckets/{name}/objects/{key}   object record, 404 if none
 *   GET  /v1/fragments/{hash}               {"hash", "referenced"}
 *   GET  /v1/miners, /v1/miners/{address}   miners; one miner, 404 if none
 *   GET  /v1/challenges                     {"challenges": [...]}
 *   GET  /v1/repair-orders?after=&amp;limit=    {"repairOrders": [...]}
 *   GET  /v1/objects/{objectId}             the current version of an object, by its id
 * </pre>
 *
 * Path segments are percent-encoded (a key's {@code /} is {@code %2F}). Errors are {@code {"error":
 * CODE, "message": ..., ["reason": REASON]}}: 400 BAD_REQUEST (malformed JSON, base64, transaction,
 * address, hash or parameter), 404 NO_ROUTE or NOT_FOUND, 405, 413 TOO_LARGE, ledger rejections by
 * {@link RejectionStatus} (403, 404, 409, 422), 503 UNAVAILABLE, 500 INTERNAL.
 *
 * <h2>Threads</h2>
 *
 * One boss and {@link Options#ioThreads()} event-loop threads run the HTTP codec only. Routes run
 * on a fixed pool of {@link Options#workerThreads()} (ledger calls may block under backpressure);
 * waits (a submission's durability, long-polls) are futures completed by the ledger or by the
 * {@link BlockFeed} scheduler, so no thread waits for them.
 *
 * <h2>Lifecycle</h2>
 *
 * <pre>
 *   start(..) --> RUNNING --close()--> CLOSED
 * </pre>
 *
 * {@link #close()} stops accepting, closes connections, the pools and the receipt log; it does not
 * close the ledger, which belongs to the caller.
 */
public final class LedgerNodeServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerNodeServer.class);

  /**
   * Settings.
   *
   * @param maxRequestBytes largest request body accepted (larger: 413)
   * @param ioThreads event-loop threads
   * @param workerThreads threads running routes (ledger calls)
   * @param maxWaitSeconds longest {@code wait} a long-poll may ask for
   * @param idleSeconds a connection without traffic for this long is closed (above maxWaitSeconds)
   * @param pollMillis how often the head is read while long-polls wait
   * @param rememberedTransactions outcomes of finished transactions kept for {@code GET
   *     /v1/transactions/{hash}}
   */
  public record Options(
      int maxRequestBytes,
      int ioThreads,
      int workerThreads,
      int maxWaitSeconds,
      int idleSeconds,
      long pollMillis,
      int rememberedTransactions) {
    public Options {
      positive("maxRequestBytes", maxRequestBytes);
      positive("ioThreads", ioThreads);
      positive("workerThreads", workerThreads);
      positive("maxWaitSeconds", maxWaitSeconds);
      positive("pollMillis", pollMillis);
      positive("rememberedTransactions", rememberedTransactions);
      if (idleSeconds <= maxWaitSeconds) {
        throw new IllegalArgumentException(
            "idleSeconds must exceed maxWaitSeconds (" + maxWaitSeconds + "), got " + idleSeconds);
      }
    }

    private static void positive(String name, long v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " must be positive, got " + v);
      }
    }

    /**
     * Requests up to 16 MiB (twice the largest transaction), 2 event-loop threads, 16 workers,
     * long-polls up to 60 s, idle connections closed after 120 s, head polled every 20 ms, 100,000
     * outcomes remembered.
     */
    public static Options defaults() {
      return new Options(16 << 20, 2, 16, 60, 120, 20, 100_000);
    }

    public Options withMaxRequestBytes(int n) {
      return new Options(
          n,
          ioThreads,
          workerThreads,
          maxWaitSeconds,
          idleSeconds,
          pollMillis,
          rememberedTransactions);
    }
  }

  private final EventLoopGroup boss;
  private final EventLoopGroup io;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;
  private final BlockFeed feed;
  private final Channel channel;
  private final ChannelGroup connections;
  private final InetSocketAddress address;
  private final Optional<ReceiptLog> receipts;
  private volatile boolean closed;

  private LedgerNodeServer(
      LedgerClient ledger, InetSocketAddress bind, Options options, Optional<ReceiptLog> receipts)
      throws InterruptedException {
    this.receipts = receipts;
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(options.workerThreads(), daemon("deoss-node-worker-", n));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("deoss-node-feed-", n));
    this.feed = new BlockFeed(ledger, scheduler, options.pollMillis());
    NodeRoutes routes =
        new NodeRoutes(
            ledger,
            new TxTracker(ledger, options.rememberedTransactions(), receipts),
            feed,
            options.maxWaitSeconds() * 1000L);
    this.connections = new DefaultChannelGroup("deoss-node", GlobalEventExecutor.INSTANCE);
    this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.io = new MultiThreadIoEventLoopGroup(options.ioThreads(), NioIoHandler.newFactory());
    try {
      this.channel =
          new ServerBootstrap()
              .group(boss, io)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(new NodeInitializer(options, routes, workers, connections))
              .bind(bind)
              .sync()
              .channel();
    } catch (InterruptedException | RuntimeException e) {
      shutdown();
      throw e;
    }
    this.address = (InetSocketAddress) channel.localAddress();
    LOG.info("ledger node serving '{}' on http://{}", ledger.networkId(), hostPort(address));
  }

  /**
   * Starts serving {@code ledger} on {@code bind} (port 0 picks a free port; see {@link #port()}).
   *
   * @throws InterruptedException if interrupted while binding
   * @throws RuntimeException (a {@link java.net.BindException} inside) if the address is taken
   */
  public static LedgerNodeServer start(LedgerClient ledger, InetSocketAddress bind, Options options)
      throws InterruptedException {
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(options, "options");
    return new LedgerNodeServer(ledger, bind, options, Optional.empty());
  }

  /**
   * As {@link #start(LedgerClient, InetSocketAddress, Options)}, keeping the receipts of the last
   * {@link Options#rememberedTransactions()} acknowledged transactions in {@code receiptLog} (a
   * file, created if missing), so that {@code GET /v1/transactions/{hash}} answers them after a
   * restart. For a graceful stop, close the ledger before the server: queued transactions are
   * committed, logged and answered.
   *
   * @throws IOException if the log cannot be opened
   */
  public static LedgerNodeServer start(
      LedgerClient ledger, InetSocketAddress bind, Options options, Path receiptLog)
      throws IOException, InterruptedException {
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(options, "options");
    ReceiptLog log = ReceiptLog.open(receiptLog, options.rememberedTransactions());
    try {
      return new LedgerNodeServer(ledger, bind, options, Optional.of(log));
    } catch (InterruptedException | RuntimeException e) {
      log.close();
      throw e;
    }
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return address;
  }

  /** The bound port. */
  public int port() {
    return address.getPort();
  }

  /** The base URI clients use, {@code http://host:port}. */
  public java.net.URI uri() {
    return java.net.URI.create("http://" + hostPort(address));
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** Long-polls waiting for a block now (tests). */
  int blockWaiters() {
    return feed.waiting();
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
    LOG.info("ledger node on {} stopped", hostPort(address));
  }

  private void shutdown() {
    feed.close();
    // Stop accepting first, then close every connection, then the loops: a connection accepted
    // while the loops stop would otherwise stay open, unanswered.
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    connections.close().awaitUninterruptibly();
    io.shutdownGracefully(50, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    workers.shutdownNow();
    scheduler.shutdownNow();
    receipts.ifPresent(
        l -> {
          try {
            l.close();
          } catch (IOException e) {
            LOG.warn("closing the receipt log failed: {}", e.toString());
          }
        });
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix, AtomicInteger n) {
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
