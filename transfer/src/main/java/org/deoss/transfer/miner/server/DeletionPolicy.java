package org.deoss.transfer.miner.server;

import org.deoss.core.hash.Hash256;

/**
 * Whether a fragment may be deleted at a client's request: only what the ledger no longer
 * references. Called on the store executor, never on an event loop, so it may block; thread-safe.
 */
@FunctionalInterface
public interface DeletionPolicy {
  /** Refuses every deletion. */
  DeletionPolicy NEVER = fragment -> false;

  /** Allows every deletion (tests). */
  DeletionPolicy ALWAYS = fragment -> true;

  boolean mayDelete(Hash256 fragment);
}
