package org.deoss.transfer.gateway;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link GatewayServer}. Immutable; the constructor checks every value and names the
 * one that is wrong.
 *
 * @param bind where to listen (port 0 picks a free one)
 * @param tls plain HTTP or HTTPS
 * @param maxObjectBytes largest object an upload may carry (larger: 413, before the body is read
 *     when Content-Length says so)
 * @param maxHeaderBytes largest request head (request line and headers); larger: 431 or 414
 * @param idleTimeout a connection that sends nothing for this long while the gateway waits for it
 *     (a request's head or body) is closed, and so is one that reads nothing of an answer for this
 *     long
 * @param messageWindow how far a signed request's Message may be from the gateway's clock
 * @param replayCapacity most signed requests remembered at once (see {@link ReplayGuard})
 * @param uploadSlots uploads encoded at once; more wait (their clients are slowed by TCP)
 * @param ioThreads event-loop threads
 * @param workerThreads threads running routes (uploads, downloads, ledger calls)
 */
public record GatewayOptions(
    InetSocketAddress bind,
    GatewayTls tls,
    long maxObjectBytes,
    int maxHeaderBytes,
    Duration idleTimeout,
    Duration messageWindow,
    int replayCapacity,
    int uploadSlots,
    int ioThreads,
    int workerThreads) {
  public GatewayOptions {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(messageWindow, "messageWindow");
    positive("maxObjectBytes", maxObjectBytes);
    if (maxHeaderBytes < 1024 || maxHeaderBytes > (1 << 20)) {
      throw new IllegalArgumentException(
          "maxHeaderBytes must be 1 KiB .. 1 MiB, got " + maxHeaderBytes);
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
    }
    if (messageWindow.toSeconds() < 1 || messageWindow.toHours() >= 24) {
      throw new IllegalArgumentException("messageWindow must be 1 s .. 24 h, got " + messageWindow);
    }
    positive("replayCapacity", replayCapacity);
    positive("uploadSlots", uploadSlots);
    positive("ioThreads", ioThreads);
    positive("workerThreads", workerThreads);
    if (workerThreads <= uploadSlots) {
      throw new IllegalArgumentException(
          "workerThreads ("
              + workerThreads
              + ") must exceed uploadSlots ("
              + uploadSlots
              + ") so that downloads and queries run while uploads wait");
    }
  }

  private static void positive(String name, long v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
  }

  /**
   * Plain HTTP on {@code bind}; objects up to 64 GiB; request heads up to 16 KiB; idle connections
   * closed after 60 s; messages within 5 minutes; 100,000 remembered signatures; 2 uploads encoded
   * at once; 2 event-loop and 32 worker threads.
   */
  public static GatewayOptions defaults(InetSocketAddress bind) {
    return new GatewayOptions(
        bind,
        GatewayTls.none(),
        64L << 30,
        16 << 10,
        Duration.ofSeconds(60),
        Duration.ofMinutes(5),
        100_000,
        2,
        2,
        32);
  }

  public GatewayOptions withTls(GatewayTls t) {
    return new GatewayOptions(
        bind,
        t,
        maxObjectBytes,
        maxHeaderBytes,
        idleTimeout,
        messageWindow,
        replayCapacity,
        uploadSlots,
        ioThreads,
        workerThreads);
  }

  public GatewayOptions withMaxObjectBytes(long n) {
    return new GatewayOptions(
        bind,
        tls,
        n,
        maxHeaderBytes,
        idleTimeout,
        messageWindow,
        replayCapacity,
        uploadSlots,
        ioThreads,
        workerThreads);
  }

  public GatewayOptions withIdleTimeout(Duration d) {
    return new GatewayOptions(
        bind,
        tls,
        maxObjectBytes,
        maxHeaderBytes,
        d,
        messageWindow,
        replayCapacity,
        uploadSlots,
        ioThreads,
        workerThreads);
  }

  /** At most {@code n} uploads at once; the worker pool grows to stay above it. */
  public GatewayOptions withUploadSlots(int n) {
    return new GatewayOptions(
        bind,
        tls,
        maxObjectBytes,
        maxHeaderBytes,
        idleTimeout,
        messageWindow,
        replayCapacity,
        n,
        ioThreads,
        Math.max(workerThreads, n + 8));
  }

  public GatewayOptions withReplayCapacity(int n) {
    return new GatewayOptions(
        bind,
        tls,
        maxObjectBytes,
        maxHeaderBytes,
        idleTimeout,
        messageWindow,
        n,
        uploadSlots,
        ioThreads,
        workerThreads);
  }
}
