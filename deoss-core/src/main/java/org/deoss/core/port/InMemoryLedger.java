package org.deoss.core.port;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.deoss.core.ledger.BlockResult;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.LedgerState;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;

/**
 * The ledger state machine without a disk, for unit tests of the layers above. Each {@link #submit}
 * is applied at once in a block of its own, at the time of the injected clock, and its future is
 * already complete when {@code submit} returns. Nothing survives the object. Not for what a command
 * runs.
 */
public final class InMemoryLedger extends StateBackedLedger {
  private final LongSupplier clockMillis;
  private final String networkId;
  private volatile boolean closed;

  /**
   * A ledger at genesis.
   *
   * @param clockMillis block time source (a fake clock in tests); block times never go back
   */
  public InMemoryLedger(Genesis genesis, LongSupplier clockMillis) {
    super(LedgerState.genesis(genesis));
    this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    this.networkId = genesis.networkId();
  }

  @Override
  public CompletableFuture<Receipt> submit(SignedTransaction tx) {
    if (closed) {
      return CompletableFuture.failedFuture(new LedgerUnavailableException("ledger is closed"));
    }
    try {
      if (!tx.verify(networkId)) {
        throw LedgerRejection.badSignature(tx, networkId);
      }
      Object outcome = executeBlock(List.of(tx)).outcomes().get(0);
      if (outcome instanceof LedgerRejection r) {
        return CompletableFuture.failedFuture(r);
      }
      return CompletableFuture.completedFuture((Receipt) outcome);
    } catch (LedgerRejection r) {
      return CompletableFuture.failedFuture(r);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new LedgerUnavailableException("in-memory ledger failed: " + e, e));
    }
  }

  /**
   * Applies {@code txs} (signatures already verified by the caller) in one block at the clock's
   * time; an empty list produces an empty block, which runs the block-start hooks (expiry, offline
   * miners, audits).
   */
  public BlockResult executeBlock(List<SignedTransaction> txs) {
    long now = clockMillis.getAsLong();
    return write(s -> s.executeBlock(now, txs));
  }

  /** Produces an empty block at the clock's time. */
  public BlockResult tick() {
    return executeBlock(List.of());
  }

  @Override
  public void close() {
    closed = true;
  }
}
