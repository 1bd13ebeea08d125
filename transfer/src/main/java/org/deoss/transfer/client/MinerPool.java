package org.deoss.transfer.client;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;

/**
 * One connection per miner, opened on first use, reopened after it closes, with per-miner health.
 *
 * <h2>Health</h2>
 *
 * <pre>
 * UNKNOWN --connected--> UP --connect fails / request UNAVAILABLE--> DOWN(until t)
 *                         ^                                           |
 *                         +------- next attempt after t succeeds -----+
 * </pre>
 *
 * A miner that cannot be reached, or whose request fails with {@link Reason#UNAVAILABLE} (closed
 * connection, timeout, busy), is marked down for a backoff that doubles with each consecutive
 * failure from {@link ClientOptions#backoffMin()} to {@link ClientOptions#backoffMax()}. While
 * down, its requests fail at once with UNAVAILABLE (no connect attempt), so callers move on to
 * another miner quickly. The first request after the backoff tries again.
 *
 * <p>Thread-safe; time comes from the injected nano clock. Futures complete on event loops (see
 * {@link MinerConnection}).
 */
public final class MinerPool implements AutoCloseable {
  /** What the pool knows of a miner. */
  public enum Health {
    UNKNOWN,
    UP,
    DOWN
  }

  private final EventLoopGroup group;
  private final AccountKeys clientKeys;
  private final ClientOptions options;
  private final SecureRandom random;
  private final LongSupplier nanoTime;
  private final SslContext tls;
  private final ConcurrentMap<AccountId, Entry> entries = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** A pool on plain TCP; see the full constructor. */
  public MinerPool(
      EventLoopGroup group,
      AccountKeys clientKeys,
      ClientOptions options,
      SecureRandom random,
      LongSupplier nanoTime) {
    this(group, clientKeys, options, random, nanoTime, null);
  }

  /**
   * @param group the NIO event loop group connections run on (the caller's)
   * @param clientKeys this client's account keys, proven to every miner
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests)
   * @param tls a client {@link SslContext} for TLS to every miner, or {@code null} for plain TCP
   */
  public MinerPool(
      EventLoopGroup group,
      AccountKeys clientKeys,
      ClientOptions options,
      SecureRandom random,
      LongSupplier nanoTime,
      SslContext tls) {
    this.group = Objects.requireNonNull(group, "group");
    this.clientKeys = Objects.requireNonNull(clientKeys, "clientKeys");
    this.options = Objects.requireNonNull(options, "options");
    this.random = Objects.requireNonNull(random, "random");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.tls = tls;
  }

  /**
   * The store of {@code miner} at {@code endpoint}. Cheap; connects on first request. A new
   * endpoint for a known miner replaces the old one (and its connection).
   */
  public FragmentStore store(AccountId miner, InetSocketAddress endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    Entry e =
        entries.compute(
            miner,
            (k, old) -> {
              if (old != null && old.endpoint.equals(endpoint)) {
                return old;
              }
              if (old != null) {
                old.close();
              }
              return new Entry(miner, endpoint);
            });
    return new PooledStore(e);
  }

  /** What the pool currently thinks of {@code miner}. */
  public Health health(AccountId miner) {
    Entry e = entries.get(miner);
    return e == null ? Health.UNKNOWN : e.health();
  }

  /** Closes every connection; later requests fail with UNAVAILABLE. */
  @Override
  public void close() {
    closed = true;
    entries.values().forEach(Entry::close);
    entries.clear();
  }

  private final class Entry {
    final AccountId miner;
    final InetSocketAddress endpoint;
    private CompletableFuture<MinerConnection> connection;
    private int failures;
    private long downUntil;
    private boolean everUp;
    private String lastError = "";

    Entry(AccountId miner, InetSocketAddress endpoint) {
      this.miner = miner;
      this.endpoint = endpoint;
    }

    synchronized Health health() {
      if (failures > 0) {
        return Health.DOWN;
      }
      return everUp ? Health.UP : Health.UNKNOWN;
    }

    synchronized CompletableFuture<MinerConnection> connection() {
      if (closed) {
        return CompletableFuture.failedFuture(unavailable("the miner pool is closed"));
      }
      if (connection != null) {
        if (!connection.isDone()) {
          return connection;
        }
        MinerConnection c = connection.isCompletedExceptionally() ? null : connection.join();
        if (c != null && c.isOpen()) {
          return connection;
        }
        connection = null;
      }
      long now = nanoTime.getAsLong();
      if (failures > 0 && now - downUntil < 0) {
        return CompletableFuture.failedFuture(
            unavailable(
                "miner "
                    + miner
                    + " is marked down for another "
                    + (downUntil - now) / 1_000_000
                    + " ms after: "
                    + lastError));
      }
      // health is recorded before any caller's stage sees the outcome
      CompletableFuture<MinerConnection> f =
          MinerConnection.connect(group, endpoint, miner, clientKeys, options, random, tls)
              .whenComplete(
                  (c, error) -> {
                    if (error == null) {
                      up();
                    } else {
                      failed(error);
                    }
                  });
      connection = f;
      return f;
    }

    synchronized void up() {
      failures = 0;
      everUp = true;
    }

    synchronized void failed(Throwable error) {
      failures++;
      long backoff =
          Math.min(
              options.backoffMax().toNanos(),
              options.backoffMin().toNanos() << Math.min(failures - 1, 30));
      downUntil = nanoTime.getAsLong() + backoff;
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      lastError = cause.getMessage();
      if (connection != null && connection.isCompletedExceptionally()) {
        connection = null;
      }
    }

    synchronized void close() {
      if (connection != null) {
        connection.thenAccept(MinerConnection::close);
        connection = null;
      }
    }

    private FragmentStoreException unavailable(String message) {
      return new FragmentStoreException(Reason.UNAVAILABLE, null, message);
    }

    /** Runs {@code op} on the connection; a request failing UNAVAILABLE marks the miner down. */
    <T> CompletableFuture<T> call(Function<MinerConnection, CompletableFuture<T>> op) {
      return connection()
          .thenCompose(
              c ->
                  op.apply(c)
                      .whenComplete(
                          (r, error) -> {
                            if (error instanceof FragmentStoreException f
                                && f.reason() == Reason.UNAVAILABLE) {
                              failed(f);
                            }
                          }));
    }
  }

  /** A miner's store through the pool. */
  private static final class PooledStore implements FragmentStore {
    private final Entry entry;

    PooledStore(Entry entry) {
      this.entry = entry;
    }

    @Override
    public CompletableFuture<Void> put(Hash256 hash, ByteBuffer data) {
      ByteBuffer view = data.duplicate();
      return entry.call(c -> c.put(hash, view));
    }

    @Override
    public CompletableFuture<ByteBuffer> get(Hash256 hash, long offset, int length) {
      return entry.call(c -> c.get(hash, offset, length));
    }

    @Override
    public CompletableFuture<ByteBuffer> get(Hash256 hash) {
      return entry.call(c -> c.get(hash));
    }

    @Override
    public CompletableFuture<Boolean> has(Hash256 hash) {
      return entry.call(c -> c.has(hash));
    }

    @Override
    public CompletableFuture<Boolean> delete(Hash256 hash) {
      return entry.call(c -> c.delete(hash));
    }

    @Override
    public CompletableFuture<Stats> stats() {
      return entry.call(MinerConnection::stats);
    }
  }
}
