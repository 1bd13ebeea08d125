package org.deoss.transfer.miner.server;

import org.deoss.core.account.AccountId;

/**
 * Whether a client account may use this miner once it has proven its key in the handshake. The
 * daemon asks the ledger (is the account registered); tests admit everyone. Called on the store
 * executor, never on an event loop, so it may block; it must be thread-safe.
 */
@FunctionalInterface
public interface Admission {
  /** Admits every account. */
  Admission ANYONE = account -> true;

  boolean admits(AccountId account);
}
