package org.deoss.transfer.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.deoss.core.ledger.MinerInfo;
import org.deoss.core.ledger.MinerStatus;
import org.deoss.core.port.LedgerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The miners registered on the ledger, as endpoints for {@link NetworkMinerDirectory}, refreshed at
 * most every {@code ttlNanos}. Every registered miner is listed so that fragments can still be
 * fetched from it; only ACTIVE miners report free bytes, so placement never chooses the others. A
 * miner whose endpoint does not parse as {@code host:port} is left out with a warning.
 */
public final class LedgerMinerRegistry implements Supplier<List<MinerEndpoint>> {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerMinerRegistry.class);

  private final LedgerClient ledger;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private List<MinerEndpoint> cached;
  private long fetchedAt;

  public LedgerMinerRegistry(LedgerClient ledger, long ttlNanos, LongSupplier nanoTime) {
    this.ledger = ledger;
    this.ttlNanos = ttlNanos;
    this.nanoTime = nanoTime;
  }

  @Override
  public synchronized List<MinerEndpoint> get() {
    long now = nanoTime.getAsLong();
    if (cached == null || now - fetchedAt > ttlNanos) {
      cached = fetch();
      fetchedAt = now;
    }
    return cached;
  }

  /** Forgets the cached list (after a miner was seen to move). */
  public synchronized void invalidate() {
    cached = null;
  }

  private List<MinerEndpoint> fetch() {
    List<MinerEndpoint> out = new ArrayList<>();
    for (MinerInfo m : ledger.miners()) {
      InetSocketAddress address = parse(m.endpoint());
      if (address == null) {
        LOG.warn("miner {} has an endpoint that is not host:port: '{}'", m.id(), m.endpoint());
        continue;
      }
      long free =
          m.status() == MinerStatus.ACTIVE
              ? Math.max(0, m.capacityBytes() - m.reportedUsedBytes())
              : 0;
      out.add(new MinerEndpoint(m.id(), address, m.zone(), free));
    }
    return List.copyOf(out);
  }

  /** {@code host:port} or {@code [v6]:port}, or null. */
  static InetSocketAddress parse(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    if (colon <= 0 || colon == endpoint.length() - 1) {
      return null;
    }
    String host = endpoint.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(endpoint.substring(colon + 1));
      if (port < 1 || port > 65535) {
        return null;
      }
      return InetSocketAddress.createUnresolved(host, port);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
