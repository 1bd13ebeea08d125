package org.deoss.core.port;

import org.deoss.core.hash.Hash256;

/** Why a fragment store refused or failed a request. */
public final class FragmentStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The kinds of failure; callers decide on them (retry, try another miner, give up). */
  public enum Reason {
    NOT_FOUND,
    HASH_MISMATCH,
    BAD_RANGE,
    CAPACITY_EXCEEDED,
    UNAVAILABLE,
    PROTOCOL,
    IO
  }

  private final Reason reason;
  private final Hash256 fragment;

  public FragmentStoreException(Reason reason, Hash256 fragment, String message) {
    this(reason, fragment, message, null);
  }

  public FragmentStoreException(Reason reason, Hash256 fragment, String message, Throwable cause) {
    super(reason + (fragment == null ? "" : " " + fragment) + ": " + message, cause);
    this.reason = reason;
    this.fragment = fragment;
  }

  public Reason reason() {
    return reason;
  }

  /** The fragment concerned, or {@code null} for store-wide failures. */
  public Hash256 fragment() {
    return fragment;
  }
}
