package org.deoss.transfer.repair;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.placement.Placement;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.TxBuilder;
import org.deoss.core.repair.RepairRound;
import org.deoss.core.repair.RepairThreshold;
import org.deoss.core.repair.SegmentRepairer;
import org.deoss.core.repair.Throttle;
import org.deoss.transfer.client.ClientOptions;
import org.deoss.transfer.client.LedgerMinerRegistry;
import org.deoss.transfer.client.MinerPool;
import org.deoss.transfer.client.NetworkMinerDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repair service: a thread that runs a {@link RepairRound} pass, then waits {@code interval}
 * when the pass found nothing to do (at once again otherwise), until closed. It signs as its
 * account, so it repairs that account's objects and those of accounts that authorized it.
 *
 * <p>Lifecycle: {@link #start} → running → {@link #close} (interrupts a pass in progress; the
 * orders it was working on stay open on the ledger and the next start redoes them).
 */
public final class RepairDaemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RepairDaemon.class);

  /**
   * How the service runs.
   *
   * @param bytesPerSecond most bytes fetched plus sent per second (the throttle)
   * @param interval pause after a pass that found nothing to do
   * @param timeout most time one fragment fetch or put may take
   * @param ordersPerPass repair orders read from the ledger per pass
   * @param threshold a segment that lost fragments only to OFFLINE miners is repaired once its
   *     fragments on ACTIVE miners fall to this many or fewer ({@link RepairThreshold}; default
   *     k+2)
   */
  public record Config(
      long bytesPerSecond,
      Duration interval,
      Duration timeout,
      int ordersPerPass,
      RepairThreshold threshold) {
    public Config {
      if (bytesPerSecond <= 0) {
        throw new IllegalArgumentException(
            "repair bytesPerSecond must be positive, got " + bytesPerSecond);
      }
      positive("interval", interval);
      positive("timeout", timeout);
      if (ordersPerPass < 1) {
        throw new IllegalArgumentException(
            "repair ordersPerPass must be at least 1, got " + ordersPerPass);
      }
      Objects.requireNonNull(threshold, "threshold");
    }

    private static void positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("repair " + name + " must be positive, got " + d);
      }
    }

    /** 32 MiB/s, a pass every 5 s when idle, 30 s per fragment, 1000 orders per pass, k+2. */
    public static Config defaults() {
      return new Config(
          32L << 20, Duration.ofSeconds(5), Duration.ofSeconds(30), 1000, RepairThreshold.DEFAULT);
    }
  }

  private final EventLoopGroup group;
  private final MinerPool pool;
  private final RepairRound round;
  private final Config config;
  private final Thread thread;
  private volatile boolean closed;
  private volatile RepairRound.Report last;
  private long segmentsTotal;
  private int lastDeferred;

  private RepairDaemon(AccountKeys keys, LedgerClient ledger, TxBuilder tx, Config config) {
    this.config = config;
    this.group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    this.pool =
        new MinerPool(group, keys, ClientOptions.defaults(), new SecureRandom(), System::nanoTime);
    NetworkMinerDirectory miners =
        new NetworkMinerDirectory(
            new LedgerMinerRegistry(ledger, Duration.ofSeconds(2).toNanos(), System::nanoTime),
            pool);
    SegmentRepairer repairer =
        new SegmentRepairer(
            miners,
            Placement.create(1, 1, new SplittableRandom()),
            Throttle.bytesPerSecond(
                config.bytesPerSecond(), System::nanoTime, Throttle.Sleeper.system()),
            config.timeout());
    this.round =
        new RepairRound(
            ledger, tx, keys.id(), repairer, config.ordersPerPass(), config.threshold());
    this.thread = new Thread(this::loop, "deoss-repair");
    this.thread.setDaemon(true);
  }

  /** Starts the service for {@code keys}'s account over {@code ledger} (which it does not own). */
  public static RepairDaemon start(AccountKeys keys, LedgerClient ledger, Config config) {
    return start(keys, ledger, new TxBuilder(ledger, keys), config);
  }

  /**
   * As {@link #start(AccountKeys, LedgerClient, Config)}, signing with {@code tx}: the builder the
   * rest of the process uses for the account, so that two builders never hand out the same nonce.
   */
  public static RepairDaemon start(
      AccountKeys keys, LedgerClient ledger, TxBuilder tx, Config config) {
    RepairDaemon d = new RepairDaemon(keys, ledger, tx, config);
    d.thread.start();
    LOG.info(
        "repair service for {} started: {} bytes/s, idle pass every {}",
        keys.id(),
        config.bytesPerSecond(),
        config.interval());
    return d;
  }

  /** The report of the last finished pass, or null before the first. */
  public RepairRound.Report lastReport() {
    return last;
  }

  private void loop() {
    while (!closed) {
      try {
        RepairRound.Report r = round.run();
        last = r;
        if (r.segments() > 0) {
          segmentsTotal += r.segments();
          LOG.info("repair pass: {} ({} segments so far)", r, segmentsTotal);
        }
        if (r.deferred() != lastDeferred) {
          lastDeferred = r.deferred();
          LOG.info(
              "repair pass: {} orders wait: their segments lost fragments only to offline miners"
                  + " and keep more than {} healthy",
              r.deferred(),
              config.threshold());
        }
        if (r.idle() || r.segments() == 0) {
          TimeUnit.MILLISECONDS.sleep(config.interval().toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("repair pass failed: {}", e.toString());
        LOG.debug("repair pass failure", e);
        try {
          TimeUnit.MILLISECONDS.sleep(config.interval().toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }
}
