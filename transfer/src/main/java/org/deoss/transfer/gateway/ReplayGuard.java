package org.deoss.transfer.gateway;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Remembers the signed requests seen within the freshness window, so that the same (account,
 * message, signature) is accepted once. An entry is forgotten when its message is too old to be
 * accepted anyway, so memory is bounded by the request rate over one window, and hard-bounded by
 * {@code capacity}: when that many live entries exist, new signed requests are refused (503) rather
 * than letting an attacker grow the table. Thread-safe.
 */
final class ReplayGuard {
  private record Entry(long expiresMillis, String key) {}

  private final int capacity;
  private final Map<String, Long> seen = new HashMap<>();
  private final PriorityQueue<Entry> byExpiry =
      new PriorityQueue<>((a, b) -> Long.compare(a.expiresMillis(), b.expiresMillis()));

  ReplayGuard(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("replay capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Records {@code key} until {@code expiresMillis}.
   *
   * @return false when the key was already seen and has not expired (a replay)
   * @throws GatewayError 503 when the table is full of live entries
   */
  synchronized boolean firstUse(String key, long expiresMillis, long nowMillis) {
    while (!byExpiry.isEmpty() && byExpiry.peek().expiresMillis() <= nowMillis) {
      Entry e = byExpiry.poll();
      seen.remove(e.key(), e.expiresMillis());
    }
    if (seen.containsKey(key)) {
      return false;
    }
    if (seen.size() >= capacity) {
      throw new GatewayError(
          io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE,
          "the gateway is tracking "
              + capacity
              + " signed requests of the last minutes; retry in a moment");
    }
    seen.put(key, expiresMillis);
    byExpiry.add(new Entry(expiresMillis, key));
    return true;
  }

  synchronized int size() {
    return seen.size();
  }
}
