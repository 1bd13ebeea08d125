package org.deoss.transfer.miner.server;

import java.time.Duration;
import java.util.Objects;
import org.deoss.transfer.protocol.Messages;

/**
 * How a {@link MinerServer} listens and what it tolerates. Immutable; checked when built.
 *
 * @param host the address to bind ("127.0.0.1", "0.0.0.0")
 * @param port the port to bind, 0 for any free port
 * @param maxPayload largest frame payload accepted, bytes (default 1 MiB)
 * @param chunkSize bytes per DATA frame sent for GET (default 256 KiB; at most maxPayload)
 * @param maxFragmentLength longest fragment accepted by PUT or returned by GET (default 64 MiB)
 * @param putWindow PUT bytes one connection may have open at once (announced in HELLO_ACK; default
 *     64 MiB; at least maxFragmentLength)
 * @param maxPendingOps store operations one connection may have outstanding before the server stops
 *     reading from it (default 32)
 * @param handshakeTimeout time from accept to a completed handshake (default 10 s)
 * @param idleTimeout time without a byte from the peer before the connection is closed (default 120
 *     s)
 * @param requestTimeout time for one PUT from PUT_BEGIN to PUT_END (default 120 s)
 * @param frameTimeout time from the first byte of a frame to its last (default 30 s)
 */
public record MinerServerOptions(
    String host,
    int port,
    int maxPayload,
    int chunkSize,
    long maxFragmentLength,
    long putWindow,
    int maxPendingOps,
    Duration handshakeTimeout,
    Duration idleTimeout,
    Duration requestTimeout,
    Duration frameTimeout) {

  public MinerServerOptions {
    Objects.requireNonNull(host, "host");
    check(port >= 0 && port <= 65535, "port", port);
    check(maxPayload >= 1024, "maxPayload", maxPayload);
    check(chunkSize >= 1 && chunkSize <= maxPayload, "chunkSize", chunkSize);
    check(
        maxFragmentLength >= 0 && maxFragmentLength <= Integer.MAX_VALUE - 8,
        "maxFragmentLength",
        maxFragmentLength);
    check(putWindow >= maxFragmentLength, "putWindow", putWindow);
    check(maxPendingOps >= 1, "maxPendingOps", maxPendingOps);
    positive(handshakeTimeout, "handshakeTimeout");
    positive(idleTimeout, "idleTimeout");
    positive(requestTimeout, "requestTimeout");
    positive(frameTimeout, "frameTimeout");
    if (Messages.MAX_PROVE_LEAVES * 1500L > maxPayload) {
      throw new IllegalArgumentException(
          "maxPayload " + maxPayload + " cannot carry a full PROOFS answer");
    }
  }

  /** Defaults, listening on {@code host:port}. */
  public static MinerServerOptions defaults(String host, int port) {
    return new MinerServerOptions(
        host,
        port,
        1 << 20,
        256 << 10,
        64L << 20,
        64L << 20,
        32,
        Duration.ofSeconds(10),
        Duration.ofSeconds(120),
        Duration.ofSeconds(120),
        Duration.ofSeconds(30));
  }

  /** These options with other handshake, idle, request and frame timeouts. */
  public MinerServerOptions withTimeouts(
      Duration handshake, Duration idle, Duration request, Duration frame) {
    return new MinerServerOptions(
        host,
        port,
        maxPayload,
        chunkSize,
        maxFragmentLength,
        putWindow,
        maxPendingOps,
        handshake,
        idle,
        request,
        frame);
  }

  public MinerServerOptions withLimits(
      int maxPayload, int chunkSize, long maxFragment, long window) {
    return new MinerServerOptions(
        host,
        port,
        maxPayload,
        chunkSize,
        maxFragment,
        window,
        maxPendingOps,
        handshakeTimeout,
        idleTimeout,
        requestTimeout,
        frameTimeout);
  }

  private static void check(boolean ok, String key, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("bad miner server option " + key + ": " + value);
    }
  }

  private static void positive(Duration d, String key) {
    Objects.requireNonNull(d, key);
    check(!d.isNegative() && !d.isZero(), key, d);
  }
}
