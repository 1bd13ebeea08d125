package org.deoss.transfer.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.deoss.core.account.AccountId;

/**
 * Checks the DeOSS request signature: headers {@code Account} (an SS58 address), {@code Message} (a
 * timestamp) and {@code Signature} (Ed25519 over the message bytes; see {@link Signatures}).
 *
 * <p>Unlike DeOSS, where a message that is not a date never expires, the message here must be a
 * time within {@code window} of the gateway's clock, in one of the forms DeOSS understands: Unix
 * seconds (10 digits), Unix milliseconds (13 digits), or {@code YYYY-MM-DD HH:MM:SS} in UTC (an
 * ISO-8601 instant such as {@code 2026-11-24T19:00:00Z} is accepted too). Each (account, message,
 * signature) is accepted once ({@link ReplayGuard}). Every refusal is a 401 naming what was wrong.
 * Thread-safe.
 */
final class Authenticator {
  static final String ACCOUNT = "Account";
  static final String MESSAGE = "Message";
  static final String SIGNATURE = "Signature";

  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final Clock clock;
  private final long windowMillis;
  private final ReplayGuard replays;

  Authenticator(Clock clock, Duration window, ReplayGuard replays) {
    this.clock = clock;
    this.windowMillis = window.toMillis();
    this.replays = replays;
  }

  /** The header values of one request (any may be null). */
  record Credentials(String account, String message, String signature) {
    boolean present() {
      return account != null || message != null || signature != null;
    }
  }

  /** The signed account, or empty when the request carries none of the three headers. */
  Optional<AccountId> optional(Credentials c) {
    return c.present() ? Optional.of(authenticate(c)) : Optional.empty();
  }

  /**
   * The account that signed the request.
   *
   * @throws GatewayError 401 naming the missing header, bad address, stale or malformed message,
   *     replay or bad signature
   */
  AccountId authenticate(Credentials c) {
    String missing =
        c.account() == null
            ? ACCOUNT
            : c.message() == null ? MESSAGE : c.signature() == null ? SIGNATURE : null;
    if (missing != null) {
      throw GatewayError.unauthorized(
          "missing header "
              + missing
              + ": signed requests carry Account (SS58 address), Message (a current Unix"
              + " timestamp) and Signature (Ed25519 over Message, hex or base64)");
    }
    AccountId account;
    try {
      account = AccountId.parse(c.account().strip());
    } catch (IllegalArgumentException e) {
      throw GatewayError.unauthorized(
          "header Account '" + c.account() + "' is not an SS58 address: " + e.getMessage());
    }
    long now = clock.millis();
    long at = messageTime(c.message());
    if (Math.abs(now - at) > windowMillis) {
      throw GatewayError.unauthorized(
          "header Message "
              + c.message()
              + " is "
              + Math.abs(now - at) / 1000
              + " s "
              + (at < now ? "old" : "in the future")
              + "; it must be within "
              + windowMillis / 1000
              + " s of the gateway's clock ("
              + now / 1000
              + ")");
    }
    byte[] sig = Signatures.verified(account, c.message(), c.signature());
    if (sig == null) {
      throw GatewayError.unauthorized(
          Signatures.decodings(c.signature()).isEmpty()
              ? "header Signature is not 64 bytes in hex, base64 or base58"
              : "header Signature does not verify: it is not "
                  + account
                  + "'s Ed25519 signature of the Message");
    }
    String key = account.toHex() + '|' + c.message() + '|' + Signatures.hex(sig);
    if (!replays.firstUse(key, at + windowMillis + 1, now)) {
      throw GatewayError.unauthorized(
          "replayed request: this Account, Message and Signature were already used; sign a new"
              + " Message for each request");
    }
    return account;
  }

  /**
   * The time a message names, in Unix milliseconds.
   *
   * @throws GatewayError 401 when it names none
   */
  static long messageTime(String message) {
    String m = message.strip();
    if (!m.isEmpty() && m.length() <= 15 && m.chars().allMatch(Character::isDigit)) {
      long v = Long.parseLong(m);
      if (v >= 1_000_000_000L && v < 1_000_000_000_000L) {
        return v * 1000;
      }
      if (v >= 1_000_000_000_000L && v < 1_000_000_000_000_000L) {
        return v;
      }
    }
    try {
      return LocalDateTime.parse(m, DATE_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return java.time.Instant.parse(m).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw GatewayError.unauthorized(
          "header Message '"
              + (m.length() > 40 ? m.substring(0, 40) + "..." : m)
              + "' is not a timestamp: send Unix seconds, Unix milliseconds or"
              + " 'YYYY-MM-DD HH:MM:SS' (UTC)");
    }
  }
}
