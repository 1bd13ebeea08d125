package org.deoss.core.ledger.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.deoss.core.ledger.Block;
import org.deoss.core.ledger.BlockHeader;
import org.deoss.core.ledger.BlockResult;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.LedgerState;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.LedgerUnavailableException;
import org.deoss.core.port.StateBackedLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger of one machine: the {@link LedgerState} state machine made durable by a journal of
 * blocks in a folder.
 *
 * <p><b>Design.</b> Submitting threads verify the Ed25519 signature themselves (50–100 µs each; the
 * sequencer must not pay it) and queue the transaction. One sequencer thread takes everything
 * queued (up to {@link Options#maxBatch}) as one block: it applies the block to the state under the
 * write lock, completes the refused transactions at once, appends the encoded block as one journal
 * record, fsyncs, and only then completes the accepted transactions with their receipts. So an
 * acknowledged transaction is durable, and the group commit amortizes one fsync over every
 * transaction that arrived during the previous one. A block whose transactions were all refused is
 * journalled too: its block-start hooks (expiry, offline miners, audits) changed the state.
 *
 * <p><b>Start.</b> {@link #open} loads the latest snapshot (or the genesis state), replays the
 * journal records after it (signatures are not verified again: every record is checksummed by the
 * journal, and only verified transactions were ever journalled; a torn tail record from a crash is
 * cut by the journal), then serves. Every {@link Options#snapshotEveryBlocks} blocks the sequencer
 * saves a snapshot and lets the journal drop the records before it.
 *
 * <p><b>Queries</b> read the state under the read lock: they see the last applied block, which may
 * still be waiting for its fsync.
 *
 * <p><b>Failure.</b> If an append or fsync fails, the state in memory is ahead of the disk: the
 * ledger stops (every later submission fails with {@link LedgerUnavailableException}); reopen it to
 * continue from what is durable.
 *
 * <pre>
 *   RUNNING --close()--> CLOSED          (queued transactions are committed first)
 *   RUNNING --I/O error--> FAILED        (queued and later transactions fail)
 * </pre>
 */
public final class EmbeddedLedger extends StateBackedLedger {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedLedger.class);

  /**
   * Settings.
   *
   * @param maxBatch most transactions in one block
   * @param snapshotEveryBlocks blocks between snapshots
   * @param clockMillis block time source
   * @param emptyBlockAfterMillis when no block was made for this long (by {@code clockMillis}), the
   *     sequencer makes an empty one so that time-driven hooks (space expiry, offline miners, audit
   *     deadlines) run; 0 never does
   */
  public record Options(
      int maxBatch, int snapshotEveryBlocks, LongSupplier clockMillis, long emptyBlockAfterMillis) {
    public Options {
      if (maxBatch < 1 || maxBatch > Block.MAX_TXS) {
        throw new IllegalArgumentException(
            "maxBatch must be 1.." + Block.MAX_TXS + ", got " + maxBatch);
      }
      if (snapshotEveryBlocks < 1) {
        throw new IllegalArgumentException(
            "snapshotEveryBlocks must be positive, got " + snapshotEveryBlocks);
      }
      Objects.requireNonNull(clockMillis, "clockMillis");
      if (emptyBlockAfterMillis < 0) {
        throw new IllegalArgumentException(
            "emptyBlockAfterMillis must not be negative, got " + emptyBlockAfterMillis);
      }
    }

    /**
     * 4096 transactions per block, a snapshot every 10,000 blocks, the system clock, an empty block
     * after 6 s without one (the CESS block time).
     */
    public static Options defaults() {
      return new Options(4096, 10_000, System::currentTimeMillis, 6_000);
    }

    public Options withSnapshotEveryBlocks(int n) {
      return new Options(maxBatch, n, clockMillis, emptyBlockAfterMillis);
    }

    public Options withClock(LongSupplier clock) {
      return new Options(maxBatch, snapshotEveryBlocks, clock, emptyBlockAfterMillis);
    }

    public Options withMaxBatch(int n) {
      return new Options(n, snapshotEveryBlocks, clockMillis, emptyBlockAfterMillis);
    }

    public Options withEmptyBlockAfterMillis(long millis) {
      return new Options(maxBatch, snapshotEveryBlocks, clockMillis, millis);
    }
  }

  private enum Lifecycle {
    RUNNING,
    CLOSED,
    FAILED
  }

  /** A queued transaction, or a request for an empty block when {@code tx} is null. */
  private record Pending(SignedTransaction tx, CompletableFuture<Object> future) {}

  private final BlockLog log;
  private final Options options;
  private final String networkId;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread sequencer;
  private volatile Lifecycle lifecycle = Lifecycle.RUNNING;
  private volatile Throwable failure;
  private long lastSequence;
  private int blocksSinceSnapshot;

  private EmbeddedLedger(BlockLog log, LedgerState state, long lastSequence, Options options) {
    super(state);
    this.log = log;
    this.options = options;
    this.networkId = state.genesisConfig().networkId();
    this.lastSequence = lastSequence;
    this.sequencer = new Thread(this::runSequencer, "deoss-ledger-sequencer");
    sequencer.setDaemon(true);
  }

  /**
   * Opens (or creates) the ledger kept in {@code dir}: latest snapshot, then journal replay.
   *
   * @throws IOException if the folder cannot be read, or its journal does not belong to {@code
   *     genesis}
   */
  public static EmbeddedLedger open(Path dir, Genesis genesis, Options options) throws IOException {
    return open(JournalBlockLog.open(dir), genesis, options);
  }

  static EmbeddedLedger open(BlockLog log, Genesis genesis, Options options) throws IOException {
    try {
      Optional<BlockLog.Snapshot> snap = log.latestSnapshot();
      LedgerState state =
          snap.isPresent()
              ? LedgerState.restore(genesis, snap.get().bytes())
              : LedgerState.genesis(genesis);
      long[] last = {snap.map(BlockLog.Snapshot::sequence).orElse(-1L)};
      int[] replayed = {0};
      log.replay(
          last[0],
          (seq, record) -> {
            Block b;
            try {
              b = Block.decode(record);
              state.replayBlock(b);
            } catch (RuntimeException e) {
              throw new IOException(
                  "journal record "
                      + seq
                      + " is not the next block of this ledger: "
                      + e.getMessage(),
                  e);
            }
            last[0] = seq;
            replayed[0]++;
          });
      LOG.info(
          "ledger '{}' open at height {} (snapshot {}, {} blocks replayed; {})",
          genesis.networkId(),
          state.head().height(),
          snap.map(s -> "after record " + s.sequence()).orElse("none"),
          replayed[0],
          log.recoveryReport());
      EmbeddedLedger ledger = new EmbeddedLedger(log, state, last[0], options);
      ledger.sequencer.start();
      return ledger;
    } catch (IOException | RuntimeException e) {
      log.close();
      throw e;
    }
  }

  @Override
  public CompletableFuture<Receipt> submit(SignedTransaction tx) {
    Objects.requireNonNull(tx, "tx");
    if (lifecycle != Lifecycle.RUNNING) {
      return CompletableFuture.failedFuture(unavailable());
    }
    if (!tx.verify(networkId)) {
      return CompletableFuture.failedFuture(
          new LedgerRejection(
              LedgerRejection.Reason.BAD_SIGNATURE,
              "signature of transaction #"
                  + tx.nonce()
                  + " does not verify for account "
                  + tx.signer()
                  + " on network '"
                  + networkId
                  + "'"));
    }
    return enqueue(tx).thenApply(Receipt.class::cast);
  }

  /**
   * Produces a block now even without transactions, so time-driven hooks run; completes when
   * durable.
   */
  public CompletableFuture<BlockHeader> tick() {
    if (lifecycle != Lifecycle.RUNNING) {
      return CompletableFuture.failedFuture(unavailable());
    }
    return enqueue(null).thenApply(BlockHeader.class::cast);
  }

  private CompletableFuture<Object> enqueue(SignedTransaction tx) {
    Pending p = new Pending(tx, new CompletableFuture<>());
    queue.add(p);
    if (lifecycle != Lifecycle.RUNNING && queue.remove(p)) {
      p.future.completeExceptionally(unavailable());
    }
    return p.future;
  }

  private LedgerUnavailableException unavailable() {
    return failure == null
        ? new LedgerUnavailableException("ledger is closed")
        : new LedgerUnavailableException(
            "ledger stopped after a journal failure: " + failure, failure);
  }

  private void runSequencer() {
    List<Pending> batch = new ArrayList<>();
    try {
      while (true) {
        Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (lifecycle != Lifecycle.RUNNING) {
            return;
          }
          if (!idleBlockDue()) {
            continue;
          }
          first = new Pending(null, new CompletableFuture<>());
        }
        batch.clear();
        batch.add(first);
        queue.drainTo(batch, options.maxBatch() - 1);
        if (!commit(batch)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      failQueued();
    }
  }

  private boolean idleBlockDue() {
    long after = options.emptyBlockAfterMillis();
    return after > 0 && options.clockMillis().getAsLong() - head().timeMillis() >= after;
  }

  /** Applies, journals and acknowledges one block; false after an I/O failure. */
  private boolean commit(List<Pending> batch) {
    List<SignedTransaction> txs = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      if (p.tx != null) {
        txs.add(p.tx);
      }
    }
    long now = options.clockMillis().getAsLong();
    BlockResult result;
    try {
      result = write(s -> s.executeBlock(now, txs));
    } catch (RuntimeException e) {
      // A bug in the state machine: the state may be half-changed, so stop.
      stop("applying a block failed", e, batch);
      return false;
    }
    List<Object> outcomes = result.outcomes();
    int i = 0;
    for (Pending p : batch) {
      if (p.tx != null && outcomes.get(i++) instanceof LedgerRejection r) {
        p.future.completeExceptionally(r);
      }
    }
    try {
      lastSequence = log.append(result.block().encode());
      log.sync();
    } catch (IOException | RuntimeException e) {
      stop("journal append of block " + result.block().height() + " failed", e, batch);
      return false;
    }
    i = 0;
    for (Pending p : batch) {
      if (p.tx == null) {
        p.future.complete(result.header());
      } else {
        Object o = outcomes.get(i++);
        if (o instanceof Receipt) {
          p.future.complete(o);
        }
      }
    }
    if (++blocksSinceSnapshot >= options.snapshotEveryBlocks()) {
      blocksSinceSnapshot = 0;
      snapshotNow();
    }
    return true;
  }

  private void stop(String what, Throwable e, List<Pending> batch) {
    LOG.error("{}; the ledger stops", what, e);
    failure = e;
    lifecycle = Lifecycle.FAILED;
    for (Pending p : batch) {
      p.future.completeExceptionally(unavailable());
    }
  }

  private void snapshotNow() {
    byte[] snap = snapshot();
    try {
      log.saveSnapshot(lastSequence, snap);
      log.compactThrough(lastSequence);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "snapshot after journal record {} failed; the journal keeps everything", lastSequence, e);
    }
  }

  private void failQueued() {
    Pending p;
    while ((p = queue.poll()) != null) {
      p.future.completeExceptionally(unavailable());
    }
  }

  /**
   * Stops taking transactions, commits those already queued, and closes the journal. Idempotent.
   */
  @Override
  public void close() {
    if (lifecycle == Lifecycle.RUNNING) {
      lifecycle = Lifecycle.CLOSED;
    }
    try {
      sequencer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failQueued();
    try {
      log.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the ledger journal failed", e);
    }
  }

  /** Whether {@link LedgerClient} submissions are still taken. */
  public boolean isRunning() {
    return lifecycle == Lifecycle.RUNNING;
  }
}
