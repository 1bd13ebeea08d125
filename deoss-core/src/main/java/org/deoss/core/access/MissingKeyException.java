package org.deoss.core.access;

import org.deoss.core.account.AccountId;

/** An account an object should be shared with has published no encryption key. */
public final class MissingKeyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient AccountId account;

  public MissingKeyException(AccountId account) {
    super(
        "account "
            + account
            + " has not published an encryption key; it must run any deoss command once, e.g."
            + " deoss faucet");
    this.account = account;
  }

  /** The account without a key. */
  public AccountId account() {
    return account;
  }
}
