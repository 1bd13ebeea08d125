package org.deoss.core.port;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;

/**
 * Signs calls for one account with consecutive nonces and submits them. The first nonce comes from
 * the ledger; later ones are counted here, so several transactions may be in flight at once. When a
 * transaction is rejected its nonce is not used, and the ones signed after it will fail with
 * BAD_NONCE: the builder re-reads the nonce from the ledger after any rejection, so calls signed
 * from then on are right. Use one builder per account per process. Thread-safe.
 */
public final class TxBuilder {
  private final LedgerClient ledger;
  private final AccountKeys keys;
  private final String networkId;
  private long next = -1;

  public TxBuilder(LedgerClient ledger, AccountKeys keys) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.networkId = ledger.networkId();
  }

  /** Signs {@code call} with the next nonce. */
  public synchronized SignedTransaction sign(Call call) {
    if (next < 0) {
      next = ledger.nextNonce(keys.id());
    }
    return SignedTransaction.sign(keys, networkId, next++, call);
  }

  /**
   * Signs and submits {@code call}; see {@link LedgerClient#submit}. Signing and handing over
   * happen under one lock, so transactions reach the ledger in nonce order even when several
   * threads submit through this builder (otherwise nonce 6 could arrive before nonce 5).
   */
  public CompletableFuture<Receipt> submit(Call call) {
    CompletableFuture<Receipt> submitted;
    synchronized (this) {
      submitted = ledger.submit(sign(call));
    }
    return submitted.whenComplete(
        (r, e) -> {
          if (e != null) {
            resync();
          }
        });
  }

  /** Forgets the counted nonce; the next call reads it from the ledger again. */
  public synchronized void resync() {
    next = -1;
  }

  /** Signs, submits and waits for {@code call}; rethrows a rejection as itself. */
  public Receipt submitAndWait(Call call) {
    try {
      return submit(call).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof LedgerRejection r) {
        throw r;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  /**
   * As {@link #submitAndWait}, for an account another process may sign for at the same time (a
   * running miner's heartbeats): a BAD_NONCE refusal changed nothing, so the call is signed again
   * with a fresh nonce, up to {@code attempts} times in all, pausing 100 ms more after each.
   *
   * @throws LedgerRejection any other refusal, or BAD_NONCE on the last attempt
   */
  public Receipt submitAndWaitRetryingNonce(Call call, int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return submitAndWait(call);
      } catch (LedgerRejection e) {
        if (e.reason() != LedgerRejection.Reason.BAD_NONCE || attempt == attempts) {
          throw e;
        }
        resync();
        java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L * attempt);
      }
    }
  }

  /**
   * Publishes the account's X25519 public key ({@link
   * org.deoss.core.account.EncryptionKeys#derive}) unless the ledger already holds that key, so
   * others can share objects with the account. Nonce races with another process of the account are
   * retried ({@link #submitAndWaitRetryingNonce}). Returns whether a transaction was submitted.
   */
  public boolean announceKeyIfMissing() {
    byte[] mine = org.deoss.core.account.EncryptionKeys.derive(keys).publicKey();
    boolean known =
        ledger.encryptionKey(keys.id()).map(k -> java.util.Arrays.equals(k, mine)).orElse(false);
    if (!known) {
      submitAndWaitRetryingNonce(new Call.AnnounceKey(mine), 3);
    }
    return !known;
  }
}
