package org.deoss.core.ledger.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.deoss.core.ledger.Block;
import org.deoss.core.ledger.BlockHeader;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.LedgerState;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.ledger.journal.GroupCommitOptions;
import org.deoss.core.ledger.journal.GroupCommitter;
import org.deoss.core.ledger.journal.JournalOptions;
import org.deoss.core.ledger.journal.RecordLog;
import org.deoss.core.ledger.journal.RecordSink;
import org.deoss.core.ledger.journal.Snapshot;
import org.deoss.core.ledger.journal.SnapshotStore;
import org.deoss.core.port.LedgerUnavailableException;
import org.deoss.core.port.StateBackedLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger of one machine: the {@link LedgerState} state machine made durable by a journal of
 * blocks.
 *
 * <pre>
 *   dir/journal/    the block journal ({@link RecordLog}): one checksummed record per block
 *   dir/snapshots/  state snapshots ({@link SnapshotStore}), each as of a journal sequence
 * </pre>
 *
 * <p><b>Writes.</b> Submitting threads verify the Ed25519 signature themselves (50–100 µs each, so
 * the sequencer is not the bottleneck) and hand the transaction to a {@link GroupCommitter}. Its
 * one thread takes everything queued (up to {@link Options#maxBatch()}) as one block ({@link
 * BlockBatchHandler}): applies it under the write lock, appends the encoded block as one record,
 * fsyncs, and only then completes the futures — with a {@link Receipt}, or with the {@link
 * LedgerRejection} of a refused transaction. An acknowledged transaction is durable. While one
 * fsync runs, the next block fills up, so one fsync serves many submitters. When 8192 transactions
 * wait, {@link #submit} blocks until there is room (backpressure).
 *
 * <p><b>Start.</b> {@link #open} loads the latest snapshot that verifies (or the genesis state),
 * replays the journal records after it, then serves. Replay does not verify signatures again: each
 * record is checksummed by the journal and only blocks of verified transactions were journalled. A
 * torn record at the tail (a crash during a write) is cut by the journal; that block was never
 * acknowledged. Every {@link Options#snapshotEveryBlocks()} blocks, after a block is durable, the
 * committer thread saves a snapshot and deletes the journal segments it covers.
 *
 * <p><b>Time.</b> Block time comes from {@link Options#clockMillis()}. When no block was made for
 * {@link Options#emptyBlockAfterMillis()}, an empty block is made so that time-driven hooks (space
 * expiry and purge, offline miners, audit deadlines) run on an idle ledger.
 *
 * <p><b>Queries</b> read the state under the read lock: the last applied block, which may still be
 * waiting for its fsync.
 *
 * <p><b>Failure.</b> If an append or an fsync fails, the state in memory is ahead of the disk: the
 * ledger stops; every later submission fails with {@link LedgerUnavailableException}. Close and
 * reopen it to continue from what is durable.
 *
 * <pre>
 *   RUNNING --close()--> CLOSED        (transactions already queued are committed first)
 *   RUNNING --I/O or state failure--> FAILED
 * </pre>
 */
public final class EmbeddedLedger extends StateBackedLedger {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedLedger.class);
  private static final int QUEUE_CAPACITY = 8192;

  /**
   * Settings.
   *
   * @param maxBatch most transactions in one block
   * @param snapshotEveryBlocks blocks between snapshots
   * @param clockMillis block time source
   * @param emptyBlockAfterMillis make an empty block when none was made for this long (by {@code
   *     clockMillis}); 0 never does
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
     * 1024 transactions per block, a snapshot every 10,000 blocks, the system clock, an empty block
     * after 6 s without one (the CESS block time).
     */
    public static Options defaults() {
      return new Options(1024, 10_000, System::currentTimeMillis, 6_000);
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

  private final RecordLog log;
  private final SnapshotStore snapshots;
  private final Options options;
  private final String networkId;
  private final GroupCommitter<BlockBatchHandler.Item, BlockBatchHandler.Slot> committer;
  private final ScheduledExecutorService ticker;
  private final AtomicBoolean tickPending = new AtomicBoolean();
  private volatile Thread sequencer;
  private volatile boolean closed;
  private volatile Throwable failure;
  private int blocksSinceSnapshot;

  private EmbeddedLedger(
      LedgerState state,
      RecordLog log,
      SnapshotStore snapshots,
      Options options,
      UnaryOperator<RecordSink> sinkWrapper) {
    super(state);
    this.log = log;
    this.snapshots = snapshots;
    this.options = options;
    this.networkId = state.genesisConfig().networkId();
    BlockBatchHandler handler =
        new BlockBatchHandler(
            state,
            writeLock(),
            options.clockMillis(),
            new BlockBatchHandler.Listener() {
              @Override
              public void committed(long lastSequence) {
                onCommitted(lastSequence);
              }

              @Override
              public void failed(Throwable cause) {
                failure = cause;
                LOG.error("ledger journal failed; the ledger stops: {}", cause.toString());
              }
            });
    this.committer =
        new GroupCommitter<>(
            sinkWrapper.apply(log),
            handler,
            new GroupCommitOptions(QUEUE_CAPACITY, options.maxBatch(), 1L << 30),
            r -> {
              Thread t = new Thread(r, "deoss-ledger-sequencer");
              t.setDaemon(true);
              sequencer = t;
              return t;
            });
    this.ticker =
        options.emptyBlockAfterMillis() == 0
            ? null
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "deoss-ledger-ticker");
                  t.setDaemon(true);
                  return t;
                });
  }

  /**
   * Opens (or creates) the ledger kept in {@code dir}: latest snapshot, then journal replay.
   *
   * @throws IOException if the folder cannot be used (locked by another process, unreadable), or
   *     its journal does not belong to {@code genesis}
   */
  public static EmbeddedLedger open(Path dir, Genesis genesis, Options options) throws IOException {
    return open(dir, genesis, options, UnaryOperator.identity());
  }

  /** As {@link #open(Path, Genesis, Options)}, with the journal sink wrapped (fault injection). */
  static EmbeddedLedger open(
      Path dir, Genesis genesis, Options options, UnaryOperator<RecordSink> sinkWrapper)
      throws IOException {
    Objects.requireNonNull(genesis, "genesis");
    Objects.requireNonNull(options, "options");
    SnapshotStore snapshots = SnapshotStore.open(dir.resolve("snapshots"));
    Optional<Snapshot> snap = snapshots.latest();
    LedgerState state;
    try {
      state =
          snap.isPresent()
              ? LedgerState.restore(genesis, snap.get().readAllBytes())
              : LedgerState.genesis(genesis);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "snapshot " + snap.get().path() + " is not a state of this ledger: " + e.getMessage(), e);
    }
    RecordLog log = RecordLog.open(dir.resolve("journal"), JournalOptions.defaults());
    try {
      long from = snap.map(s -> s.sequence() + 1).orElse(1L);
      if (from < log.firstSequence() || from > log.syncedSequence() + 1) {
        throw new IOException(
            "journal "
                + log.directory()
                + " holds records "
                + log.firstSequence()
                + ".."
                + log.syncedSequence()
                + ", but replay must start at "
                + from
                + (snap.isPresent() ? " (after snapshot " + snap.get().path() + ")" : ""));
      }
      long[] replayed = {0};
      log.replay(
          from,
          (seq, record) -> {
            try {
              state.replayBlock(Block.decode(record));
            } catch (RuntimeException e) {
              throw new IOException(
                  "journal record "
                      + seq
                      + " is not the next block of this ledger: "
                      + e.getMessage(),
                  e);
            }
            replayed[0]++;
          });
      LOG.info(
          "ledger '{}' open at height {} ({}; {} blocks replayed; journal {})",
          genesis.networkId(),
          state.head().height(),
          snap.map(s -> "snapshot at record " + s.sequence()).orElse("no snapshot"),
          replayed[0],
          log.recovery());
      EmbeddedLedger ledger = new EmbeddedLedger(state, log, snapshots, options, sinkWrapper);
      ledger.start();
      return ledger;
    } catch (IOException | RuntimeException e) {
      log.close();
      throw e;
    }
  }

  private void start() {
    committer.start();
    if (ticker != null) {
      long period = Math.max(10, Math.min(1000, options.emptyBlockAfterMillis() / 4));
      ticker.scheduleWithFixedDelay(this::tickIfIdle, period, period, TimeUnit.MILLISECONDS);
    }
  }

  private void tickIfIdle() {
    long idle = options.clockMillis().getAsLong() - head().timeMillis();
    if (idle >= options.emptyBlockAfterMillis() && tickPending.compareAndSet(false, true)) {
      tick().whenComplete((h, e) -> tickPending.set(false));
    }
  }

  @Override
  public CompletableFuture<Receipt> submit(SignedTransaction tx) {
    Objects.requireNonNull(tx, "tx");
    if (closed || failure != null) {
      return CompletableFuture.failedFuture(unavailable(null));
    }
    if (!tx.verify(networkId)) {
      return CompletableFuture.failedFuture(badSignature(tx));
    }
    return receipt(committer.submit(new BlockBatchHandler.Item(tx)));
  }

  /**
   * Verifies every signature first, then queues the transactions that verify together, so that they
   * share a block (and its flush) when they fit in one.
   */
  @Override
  public java.util.List<CompletableFuture<Receipt>> submitAll(
      java.util.List<SignedTransaction> txs) {
    java.util.List<CompletableFuture<Receipt>> out = new java.util.ArrayList<>(txs.size());
    java.util.List<BlockBatchHandler.Item> items = new java.util.ArrayList<>(txs.size());
    java.util.List<Integer> at = new java.util.ArrayList<>(txs.size());
    for (SignedTransaction tx : txs) {
      Objects.requireNonNull(tx, "tx");
      if (closed || failure != null) {
        out.add(CompletableFuture.failedFuture(unavailable(null)));
      } else if (!tx.verify(networkId)) {
        out.add(CompletableFuture.failedFuture(badSignature(tx)));
      } else {
        at.add(out.size());
        out.add(null);
        items.add(new BlockBatchHandler.Item(tx));
      }
    }
    java.util.List<CompletableFuture<BlockBatchHandler.Slot>> queued =
        items.isEmpty() ? java.util.List.of() : committer.submitAll(items);
    for (int i = 0; i < queued.size(); i++) {
      out.set(at.get(i), receipt(queued.get(i)));
    }
    return out;
  }

  private LedgerRejection badSignature(SignedTransaction tx) {
    return LedgerRejection.badSignature(tx, networkId);
  }

  private CompletableFuture<Receipt> receipt(CompletableFuture<BlockBatchHandler.Slot> queued) {
    return queued.handle(
        (slot, err) -> {
          if (err != null) {
            throw unavailable(err);
          }
          Object v = slot.value;
          if (v instanceof LedgerRejection r) {
            throw r;
          }
          return (Receipt) v;
        });
  }

  /** Makes a block now even without transactions; completes with its header once durable. */
  public CompletableFuture<BlockHeader> tick() {
    if (closed || failure != null) {
      return CompletableFuture.failedFuture(unavailable(null));
    }
    return committer
        .submit(new BlockBatchHandler.Item(null))
        .handle(
            (slot, err) -> {
              if (err != null) {
                throw unavailable(err);
              }
              return (BlockHeader) slot.value;
            });
  }

  private LedgerUnavailableException unavailable(Throwable cause) {
    Throwable f = failure;
    if (f != null) {
      return new LedgerUnavailableException("ledger stopped after a failure: " + f, f);
    }
    if (closed) {
      return new LedgerUnavailableException("ledger is closed");
    }
    return new LedgerUnavailableException("ledger could not take the transaction: " + cause, cause);
  }

  private void onCommitted(long lastSequence) {
    if (++blocksSinceSnapshot < options.snapshotEveryBlocks()) {
      return;
    }
    blocksSinceSnapshot = 0;
    try {
      snapshots.save(lastSequence, snapshot());
      log.deleteBefore(lastSequence + 1);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "snapshot at journal record {} failed; the journal keeps every block", lastSequence, e);
    }
  }

  /**
   * Stops taking transactions, commits those already queued, closes the journal. Idempotent.
   *
   * @throws IllegalStateException when called on the ledger's own thread (from a future's
   *     callback): it would wait for itself
   */
  @Override
  public void close() {
    if (Thread.currentThread() == sequencer) {
      throw new IllegalStateException("close the ledger from another thread than its sequencer");
    }
    closed = true;
    if (ticker != null) {
      ticker.shutdownNow();
    }
    committer.close();
    try {
      log.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the ledger journal failed", e);
    }
  }

  /** Whether submissions are still taken. */
  public boolean isRunning() {
    return !closed && failure == null;
  }

  /** Number of blocks committed since open (one fsync each). */
  public long committedBlocks() {
    return committer.batches();
  }

  @Override
  public String toString() {
    return "EmbeddedLedger(" + networkId + ", " + log + ")";
  }
}
