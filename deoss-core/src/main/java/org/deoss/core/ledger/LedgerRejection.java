package org.deoss.core.ledger;

import java.util.Objects;

/**
 * A transaction the ledger refused. A rejected transaction changes nothing, not even the signer's
 * nonce. The message names the account, bucket, key or value concerned.
 */
public final class LedgerRejection extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a transaction was refused. */
  public enum Reason {
    /** The signature does not verify for the signer, network and content. */
    BAD_SIGNATURE,
    /** The nonce is not the signer's next nonce (a replay or a gap). */
    BAD_NONCE,
    /** A field is out of range or malformed (an amount, a size, a count). */
    BAD_ARGUMENT,
    INSUFFICIENT_BALANCE,
    /** An amount would overflow a balance or a price. */
    AMOUNT_OVERFLOW,
    /** The faucet was claimed too often within its window. */
    FAUCET_LIMIT,
    /** The account has no purchased space, or a put would exceed it. */
    NO_SPACE,
    /** The space is past its deadline: puts are refused (or, after grace, everything is purged). */
    SPACE_EXPIRED,
    /** BuySpace while space is still held. */
    SPACE_ALREADY_PURCHASED,
    /** The signer is neither the owner nor an operator the owner authorized. */
    NOT_AUTHORIZED,
    TOO_MANY_AUTHORIZATIONS,
    ALREADY_AUTHORIZED,
    NO_SUCH_AUTHORIZATION,
    BUCKET_EXISTS,
    NO_SUCH_BUCKET,
    BUCKET_NOT_EMPTY,
    TOO_MANY_BUCKETS,
    BAD_BUCKET_NAME,
    BAD_KEY,
    BAD_ATTRIBUTES,
    BAD_ACCESS,
    BAD_MANIFEST,
    NO_SUCH_OBJECT,
    OBJECT_EXISTS,
    /** A put's condition does not hold (absent or version compare-and-set). */
    VERSION_CONFLICT,
    /** The object id of a manifest belongs to another key. */
    OBJECT_ID_IN_USE,
    MINER_EXISTS,
    NO_SUCH_MINER,
    /** A fragment is placed on a miner that is not ACTIVE. */
    MINER_NOT_ACTIVE,
    INSUFFICIENT_STAKE,
    NO_SUCH_CHALLENGE,
    BAD_PROOF,
    NO_SUCH_REPAIR_ORDER,
    BAD_REPAIR
  }

  private final Reason reason;

  public LedgerRejection(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  /**
   * The rejection of a transaction whose signature does not verify on network {@code networkId}.
   */
  public static LedgerRejection badSignature(SignedTransaction tx, String networkId) {
    return new LedgerRejection(
        Reason.BAD_SIGNATURE,
        "signature of transaction #"
            + tx.nonce()
            + " does not verify for account "
            + tx.signer()
            + " on network '"
            + networkId
            + "'");
  }

  static LedgerRejection of(Reason reason, String message) {
    return new LedgerRejection(reason, message);
  }
}
