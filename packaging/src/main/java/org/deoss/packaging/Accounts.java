package org.deoss.packaging;

import org.deoss.core.account.AccountId;

/** Parses account addresses given on the command line. */
final class Accounts {
  private Accounts() {}

  /** The account {@code text} names; a {@link UserException} naming {@code what} if it is none. */
  static AccountId parse(String text, String what) {
    try {
      return AccountId.parse(text.strip());
    } catch (RuntimeException e) {
      throw new UserException(
          what
              + ": '"
              + text
              + "' is not an account address (an SS58 address such as deoss wallet show prints)",
          e);
    }
  }
}
