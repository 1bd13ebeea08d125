package org.deoss.transfer.node;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.port.LedgerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactions this node took, by hash: those in flight and the last {@code keepDone} outcomes.
 * It makes a submission idempotent within the life of one node process: the same transaction posted
 * again while in flight joins the first submission, and after it committed gets the same receipt
 * without touching the ledger. A transaction whose earlier submission failed (rejected, ledger
 * unavailable) is submitted afresh, since the state may have changed.
 *
 * <p>In memory only, unless a {@link ReceiptLog} is given: then receipts (not rejections) outlive a
 * node restart. Otherwise only the ledger state (nonces, objects) tells whether a transaction of a
 * dead node is in. Thread-safe; the map is guarded by {@code this}.
 */
final class TxTracker {
  private static final Logger LOG = LoggerFactory.getLogger(TxTracker.class);

  private final LedgerClient ledger;
  private final int keepDone;
  private final Optional<ReceiptLog> log;
  private final LinkedHashMap<Hash256, CompletableFuture<Receipt>> byHash = new LinkedHashMap<>();

  TxTracker(LedgerClient ledger, int keepDone) {
    this(ledger, keepDone, Optional.empty());
  }

  /**
   * With {@code log}, receipts are logged before the submitter is told, and found after a restart.
   */
  TxTracker(LedgerClient ledger, int keepDone, Optional<ReceiptLog> log) {
    this.ledger = ledger;
    this.keepDone = keepDone;
    this.log = log;
  }

  /**
   * The outcome of one post.
   *
   * @param tracked whether {@link #find} answers this outcome by hash (false for the replay of a
   *     committed transaction, whose hash keeps its receipt)
   */
  record Submitted(CompletableFuture<Receipt> outcome, boolean tracked) {}

  /**
   * Submits {@code tx} unless it is in flight (then joins it). May block under the ledger's
   * backpressure: call it off the event loop.
   */
  Submitted submit(SignedTransaction tx) {
    Hash256 hash = tx.hash();
    CompletableFuture<Receipt> mine = new CompletableFuture<>();
    synchronized (this) {
      CompletableFuture<Receipt> known = byHash.get(hash);
      if (known != null && !known.isDone()) {
        return new Submitted(known, true);
      }
      boolean committed =
          known == null
              ? log.flatMap(l -> l.find(hash)).isPresent()
              : !known.isCompletedExceptionally();
      if (committed) {
        // Committed: the ledger answers the replay (BAD_NONCE); the receipt stays on record.
        return new Submitted(submitToLedger(tx), false);
      }
      byHash.remove(hash);
      byHash.put(hash, mine);
      trim();
    }
    submitToLedger(tx)
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                mine.completeExceptionally(e);
              } else {
                log(r);
                mine.complete(r);
              }
            });
    return new Submitted(mine, true);
  }

  /**
   * As {@link #submit} for each of {@code txs} in order, but the transactions new to this node go
   * to the ledger together ({@link LedgerClient#submitAll}), so that they can share a block.
   */
  List<Submitted> submitAll(List<SignedTransaction> txs) {
    List<Submitted> out = new ArrayList<>(txs.size());
    List<SignedTransaction> fresh = new ArrayList<>();
    List<CompletableFuture<Receipt>> mine = new ArrayList<>();
    synchronized (this) {
      for (SignedTransaction tx : txs) {
        Hash256 hash = tx.hash();
        CompletableFuture<Receipt> known = byHash.get(hash);
        if (known != null && !known.isDone()) {
          out.add(new Submitted(known, true));
          continue;
        }
        boolean committed =
            known == null
                ? log.flatMap(l -> l.find(hash)).isPresent()
                : !known.isCompletedExceptionally();
        if (committed) {
          // Committed: the ledger answers the replay (BAD_NONCE); the receipt stays on record.
          out.add(new Submitted(submitToLedger(tx), false));
          continue;
        }
        CompletableFuture<Receipt> f = new CompletableFuture<>();
        byHash.remove(hash);
        byHash.put(hash, f);
        fresh.add(tx);
        mine.add(f);
        out.add(new Submitted(f, true));
      }
      trim();
    }
    if (fresh.isEmpty()) {
      return out;
    }
    List<CompletableFuture<Receipt>> outcomes;
    try {
      outcomes = ledger.submitAll(fresh);
    } catch (RuntimeException e) {
      outcomes = new ArrayList<>();
      for (int i = 0; i < fresh.size(); i++) {
        outcomes.add(CompletableFuture.failedFuture(e));
      }
    }
    for (int i = 0; i < fresh.size(); i++) {
      CompletableFuture<Receipt> f = mine.get(i);
      outcomes
          .get(i)
          .whenComplete(
              (r, e) -> {
                if (e != null) {
                  f.completeExceptionally(e);
                } else {
                  log(r);
                  f.complete(r);
                }
              });
    }
    return out;
  }

  private CompletableFuture<Receipt> submitToLedger(SignedTransaction tx) {
    try {
      return ledger.submit(tx);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void log(Receipt r) {
    if (log.isPresent()) {
      try {
        log.get().append(r);
      } catch (IOException | RuntimeException e) {
        LOG.warn("could not log the receipt of transaction {}: {}", r.txHash(), e.toString());
      }
    }
  }

  /**
   * The outcome of a transaction this node took, if it still remembers it (in memory, or a receipt
   * in the log, which outlives the process).
   */
  Optional<CompletableFuture<Receipt>> find(Hash256 hash) {
    synchronized (this) {
      CompletableFuture<Receipt> f = byHash.get(hash);
      if (f != null) {
        return Optional.of(f);
      }
    }
    Optional<Receipt> logged = log.flatMap(l -> l.find(hash));
    if (logged.isEmpty() && ledger instanceof ReceiptLookup lookup) {
      logged = lookup.receipt(hash);
    }
    return logged.map(CompletableFuture::completedFuture);
  }

  private void trim() {
    int excess = byHash.size() - keepDone;
    for (Iterator<Map.Entry<Hash256, CompletableFuture<Receipt>>> it = byHash.entrySet().iterator();
        excess > 0 && it.hasNext(); ) {
      if (it.next().getValue().isDone()) {
        it.remove();
        excess--;
      }
    }
  }
}
