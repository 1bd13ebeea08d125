package org.deoss.transfer.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client talks to miners. Immutable; checked when built.
 *
 * @param maxPayload largest frame payload accepted from a miner (default 1 MiB)
 * @param chunkSize bytes per DATA frame sent (default 256 KiB; also capped by the miner's maximum)
 * @param maxFragmentLength longest fragment a whole-fragment GET accepts (default 64 MiB)
 * @param connectTimeout TCP connect (default 5 s)
 * @param handshakeTimeout from connected to AUTH_OK (default 10 s)
 * @param requestTimeout from a call to its answer (default 60 s)
 * @param backoffMin first wait before reconnecting to a miner that failed (default 200 ms)
 * @param backoffMax longest wait (default 30 s)
 */
public record ClientOptions(
    int maxPayload,
    int chunkSize,
    long maxFragmentLength,
    Duration connectTimeout,
    Duration handshakeTimeout,
    Duration requestTimeout,
    Duration backoffMin,
    Duration backoffMax) {

  public ClientOptions {
    check(maxPayload >= 1024, "maxPayload", maxPayload);
    check(chunkSize >= 1, "chunkSize", chunkSize);
    check(
        maxFragmentLength >= 0 && maxFragmentLength <= Integer.MAX_VALUE - 8,
        "maxFragmentLength",
        maxFragmentLength);
    for (Duration d :
        new Duration[] {connectTimeout, handshakeTimeout, requestTimeout, backoffMin, backoffMax}) {
      Objects.requireNonNull(d, "a timeout is null");
      check(!d.isNegative() && !d.isZero(), "timeout", d);
    }
    check(backoffMax.compareTo(backoffMin) >= 0, "backoffMax", backoffMax);
  }

  /** The defaults listed above. */
  public static ClientOptions defaults() {
    return new ClientOptions(
        1 << 20,
        256 << 10,
        64L << 20,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofMillis(200),
        Duration.ofSeconds(30));
  }

  public ClientOptions withRequestTimeout(Duration timeout) {
    return new ClientOptions(
        maxPayload,
        chunkSize,
        maxFragmentLength,
        connectTimeout,
        handshakeTimeout,
        timeout,
        backoffMin,
        backoffMax);
  }

  public ClientOptions withBackoff(Duration min, Duration max) {
    return new ClientOptions(
        maxPayload,
        chunkSize,
        maxFragmentLength,
        connectTimeout,
        handshakeTimeout,
        requestTimeout,
        min,
        max);
  }

  private static void check(boolean ok, String key, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("bad client option " + key + ": " + value);
    }
  }
}
