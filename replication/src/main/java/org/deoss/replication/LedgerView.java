package org.deoss.replication;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.deoss.core.ledger.LedgerState;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.port.StateBackedLedger;

/**
 * One ledger state with its lock: the queries of the port, and the state machine's writes. A
 * snapshot install replaces the whole view, so queries always read one consistent state.
 */
final class LedgerView extends StateBackedLedger {
  LedgerView(LedgerState state) {
    super(state);
  }

  /** Runs {@code f} under the write lock. */
  <T> T update(Function<LedgerState, T> f) {
    return write(f);
  }

  /** Runs {@code f} under the read lock. */
  <T> T inspect(Function<LedgerState, T> f) {
    return read(f);
  }

  @Override
  public CompletableFuture<Receipt> submit(SignedTransaction tx) {
    throw new UnsupportedOperationException("a view takes no transactions; submit to the ledger");
  }

  @Override
  public void close() {}
}
