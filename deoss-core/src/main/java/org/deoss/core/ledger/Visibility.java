package org.deoss.core.ledger;

/** Who may read an object's plaintext. */
public enum Visibility {
  /** The owner only (and operators acting for it). */
  PRIVATE,
  /** The owner and the accounts it lists, each with its wrapped data key. */
  SHARED,
  /** Anyone: the data key is published in clear. */
  PUBLIC
}
