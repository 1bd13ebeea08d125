package org.deoss.core.port;

/**
 * The ledger could not take or acknowledge a transaction: it is closed, its disk failed, or the
 * connection to it broke. The transaction may or may not have been applied.
 */
public final class LedgerUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LedgerUnavailableException(String message) {
    super(message);
  }

  public LedgerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
