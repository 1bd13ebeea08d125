package org.deoss.transfer.node;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.deoss.core.ledger.LedgerRejection.Reason;

/**
 * The one table from a {@link Reason} to the HTTP status of the answer:
 *
 * <pre>
 *   403  BAD_SIGNATURE, NOT_AUTHORIZED                    (who signed may not do this)
 *   409  BAD_NONCE, VERSION_CONFLICT, BUCKET_EXISTS, OBJECT_EXISTS, ALREADY_AUTHORIZED,
 *        MINER_EXISTS, OBJECT_ID_IN_USE, SPACE_ALREADY_PURCHASED   (conflicts with the state)
 *   404  NO_SUCH_* on a query (GET)                       (the named thing does not exist)
 *   422  every other reason, and NO_SUCH_* on a submitted transaction
 * </pre>
 *
 * The body always carries the reason name, so a client never has to guess from the status.
 */
final class RejectionStatus {
  private RejectionStatus() {}

  static HttpResponseStatus of(Reason reason, boolean query) {
    return switch (reason) {
      case BAD_SIGNATURE, NOT_AUTHORIZED -> HttpResponseStatus.FORBIDDEN;
      case BAD_NONCE,
          VERSION_CONFLICT,
          BUCKET_EXISTS,
          OBJECT_EXISTS,
          ALREADY_AUTHORIZED,
          MINER_EXISTS,
          OBJECT_ID_IN_USE,
          SPACE_ALREADY_PURCHASED ->
          HttpResponseStatus.CONFLICT;
      case NO_SUCH_AUTHORIZATION,
          NO_SUCH_BUCKET,
          NO_SUCH_OBJECT,
          NO_SUCH_MINER,
          NO_SUCH_CHALLENGE,
          NO_SUCH_REPAIR_ORDER ->
          query ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.UNPROCESSABLE_ENTITY;
      default -> HttpResponseStatus.UNPROCESSABLE_ENTITY;
    };
  }
}
