package org.deoss.transfer.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.NoSuchElementException;
import org.deoss.core.access.NotAReaderException;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.pipeline.ObjectReadException;
import org.deoss.core.pipeline.ObjectWriteException;
import org.deoss.core.placement.NoCapacityException;
import org.deoss.core.port.LedgerUnavailableException;

/**
 * The one table from an exception inside a route to the HTTP status of the answer (its message
 * becomes the envelope's {@code msg}):
 *
 * <pre>
 *   GatewayError                       its own status (400, 401, 403, 404, 409, 413, 416, 503, 507)
 *   LedgerRejection NO_SPACE, SPACE_EXPIRED                        507
 *                   NOT_AUTHORIZED, BAD_SIGNATURE                  403
 *                   NO_SUCH_BUCKET, NO_SUCH_OBJECT                 404
 *                   BUCKET_EXISTS, OBJECT_EXISTS, BUCKET_NOT_EMPTY,
 *                   VERSION_CONFLICT, TOO_MANY_BUCKETS             409
 *                   any other reason                               400
 *   NotAReaderException                                            403
 *   NoCapacityException (too few miners with room)                 507
 *   LedgerUnavailableException, ObjectWriteException,
 *   ObjectReadException                                            503
 *   another IOException (the request body broke off)               400
 *   NoSuchElementException                                         404
 *   IllegalArgumentException                                       400
 *   anything else                                                  500 (logged)
 * </pre>
 */
final class ErrorTable {
  private ErrorTable() {}

  static HttpResponseStatus status(Throwable e) {
    if (e instanceof GatewayError g) {
      return g.status();
    }
    if (e instanceof LedgerRejection r) {
      return switch (r.reason()) {
        case NO_SPACE, SPACE_EXPIRED -> GatewayError.INSUFFICIENT_STORAGE;
        case NOT_AUTHORIZED, BAD_SIGNATURE -> HttpResponseStatus.FORBIDDEN;
        case NO_SUCH_BUCKET, NO_SUCH_OBJECT -> HttpResponseStatus.NOT_FOUND;
        case BUCKET_EXISTS, OBJECT_EXISTS, BUCKET_NOT_EMPTY, VERSION_CONFLICT, TOO_MANY_BUCKETS ->
            HttpResponseStatus.CONFLICT;
        default -> HttpResponseStatus.BAD_REQUEST;
      };
    }
    if (e instanceof NotAReaderException) {
      return HttpResponseStatus.FORBIDDEN;
    }
    if (e instanceof NoCapacityException) {
      return GatewayError.INSUFFICIENT_STORAGE;
    }
    if (e instanceof LedgerUnavailableException
        || e instanceof ObjectWriteException
        || e instanceof ObjectReadException) {
      return HttpResponseStatus.SERVICE_UNAVAILABLE;
    }
    if (e instanceof IOException) {
      return HttpResponseStatus.BAD_REQUEST; // the request body could not be read
    }
    if (e instanceof NoSuchElementException) {
      return HttpResponseStatus.NOT_FOUND;
    }
    if (e instanceof IllegalArgumentException) {
      return HttpResponseStatus.BAD_REQUEST;
    }
    return HttpResponseStatus.INTERNAL_SERVER_ERROR;
  }

  /** The envelope's {@code msg}: the exception's message, or its type when it has none. */
  static String message(Throwable e) {
    String m = e.getMessage();
    if (e instanceof LedgerRejection) {
      return "the ledger refused: " + m; // the message starts with the reason
    }
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return m;
  }
}
