package org.deoss.transfer.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the gateway refuses: thrown anywhere inside a route, turned into a status and a {@code
 * {code, msg, data}} body once, by {@link ErrorTable}.
 */
class GatewayError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** HTTP 507, which Netty names but does not predefine. */
  static final HttpResponseStatus INSUFFICIENT_STORAGE =
      HttpResponseStatus.valueOf(507, "Insufficient Storage");

  private final transient HttpResponseStatus status;

  GatewayError(HttpResponseStatus status, String message) {
    super(message);
    this.status = status;
  }

  static GatewayError badRequest(String message) {
    return new GatewayError(HttpResponseStatus.BAD_REQUEST, message);
  }

  static GatewayError unauthorized(String message) {
    return new GatewayError(HttpResponseStatus.UNAUTHORIZED, message);
  }

  static GatewayError forbidden(String message) {
    return new GatewayError(HttpResponseStatus.FORBIDDEN, message);
  }

  static GatewayError notFound(String message) {
    return new GatewayError(HttpResponseStatus.NOT_FOUND, message);
  }

  static GatewayError conflict(String message) {
    return new GatewayError(HttpResponseStatus.CONFLICT, message);
  }

  static GatewayError tooLarge(String message) {
    return new GatewayError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, message);
  }

  HttpResponseStatus status() {
    return status;
  }
}
