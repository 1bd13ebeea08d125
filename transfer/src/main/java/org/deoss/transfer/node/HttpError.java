package org.deoss.transfer.node;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the node answers with an error status: thrown inside a route, turned into a JSON error
 * body once by {@link NodeHandler}.
 */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Error codes in the JSON body (field {@code error}). */
  enum Code {
    /** Malformed JSON, base64, transaction encoding, path or query parameter. */
    BAD_REQUEST,
    /** No route matches the method and path. */
    NO_ROUTE,
    /** The path matches a route but not this method. */
    METHOD_NOT_ALLOWED,
    /** The requested value (bucket, object, miner, block, transaction) does not exist. */
    NOT_FOUND,
    /** The request body exceeds the node's limit. */
    TOO_LARGE,
    /** The ledger refused a transaction or a query; the body names the reason. */
    REJECTED,
    /** The ledger cannot take transactions (closed, disk failure). */
    UNAVAILABLE,
    /** A bug: the request could not be answered. */
    INTERNAL
  }

  private final transient HttpResponseStatus status;
  private final Code code;

  HttpError(HttpResponseStatus status, Code code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  static HttpError badRequest(String message) {
    return new HttpError(HttpResponseStatus.BAD_REQUEST, Code.BAD_REQUEST, message);
  }

  static HttpError notFound(String message) {
    return new HttpError(HttpResponseStatus.NOT_FOUND, Code.NOT_FOUND, message);
  }

  HttpResponseStatus status() {
    return status;
  }

  Code code() {
    return code;
  }
}
