package org.deoss.packaging;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.LedgerRejection.Reason;

/**
 * Says in words why the ledger refused a command, and whether the user can fix it (bad input, exit
 * 2) or it is a failure (exit 1: a signature or nonce problem is ours, not the user's).
 */
final class Rejections {
  private static final Map<Reason, String> WORDS = new EnumMap<>(Reason.class);
  private static final Set<Reason> FAILURES = Set.of(Reason.BAD_SIGNATURE, Reason.BAD_NONCE);

  static {
    WORDS.put(Reason.BAD_SIGNATURE, "the ledger did not accept the transaction's signature");
    WORDS.put(
        Reason.BAD_NONCE, "the transaction raced another one from this account; run it again");
    WORDS.put(Reason.BAD_ARGUMENT, "a value is out of range");
    WORDS.put(
        Reason.INSUFFICIENT_BALANCE,
        "the account has too few tokens for this (claim some with: deoss faucet)");
    WORDS.put(Reason.AMOUNT_OVERFLOW, "the amount is too large");
    WORDS.put(
        Reason.FAUCET_LIMIT, "this account already claimed from the faucet recently; try later");
    WORDS.put(
        Reason.NO_SPACE,
        "the account has no space left (buy some with: deoss space buy --gib N --days D)");
    WORDS.put(
        Reason.SPACE_EXPIRED,
        "the account's space has expired: its objects are read-only until the grace period"
            + " ends, then they are deleted");
    WORDS.put(
        Reason.SPACE_ALREADY_PURCHASED, "the account already holds space (see: deoss space show)");
    WORDS.put(Reason.NOT_AUTHORIZED, "this account may not change that");
    WORDS.put(Reason.BUCKET_EXISTS, "the bucket already exists");
    WORDS.put(Reason.NO_SUCH_BUCKET, "there is no such bucket (see: deoss bucket ls)");
    WORDS.put(Reason.BUCKET_NOT_EMPTY, "the bucket is not empty; delete its objects first");
    WORDS.put(Reason.TOO_MANY_BUCKETS, "the account has the most buckets allowed (1000)");
    WORDS.put(Reason.BAD_BUCKET_NAME, "the bucket name is not allowed");
  }

  private Rejections() {}

  /** One line: the reason in words, then the ledger's own detail. */
  static String describe(LedgerRejection e) {
    String words = WORDS.get(e.reason());
    if (words == null) {
      words = e.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
    return words + " (ledger: " + e.getMessage() + ")";
  }

  static boolean isBadInput(LedgerRejection e) {
    return !FAILURES.contains(e.reason());
  }
}
