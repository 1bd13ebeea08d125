package org.deoss.transfer.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * One satisfiable byte range of an object, {@code [first, last]} inclusive, parsed from a standard
 * {@code Range} header ({@code bytes=0-99}, {@code bytes=100-}, {@code bytes=-100}).
 */
record ByteRange(long first, long last) {
  static final HttpResponseStatus NOT_SATISFIABLE =
      HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE;

  long length() {
    return last - first + 1;
  }

  String contentRange(long size) {
    return "bytes " + first + "-" + last + "/" + size;
  }

  /**
   * The range {@code header} asks of an object of {@code size} bytes, or null when there is no
   * header (the whole object).
   *
   * @throws GatewayError 416 naming the problem when the header is malformed, names several ranges,
   *     or is not satisfiable
   */
  static ByteRange parse(String header, long size) {
    if (header == null) {
      return null;
    }
    String h = header.strip();
    if (!h.startsWith("bytes=")) {
      throw bad("Range '" + header + "' must start with 'bytes='", size);
    }
    String spec = h.substring(6).strip();
    if (spec.contains(",")) {
      throw bad("Range '" + header + "' names several ranges; ask for one per request", size);
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      throw bad("Range '" + header + "' has no '-'", size);
    }
    String a = spec.substring(0, dash).strip();
    String b = spec.substring(dash + 1).strip();
    if (a.isEmpty()) {
      long suffix = number(b, header, size);
      if (suffix == 0 || size == 0) {
        throw bad("Range '" + header + "' asks for no bytes of a " + size + "-byte object", size);
      }
      return new ByteRange(Math.max(0, size - suffix), size - 1);
    }
    long first = number(a, header, size);
    long last = b.isEmpty() ? size - 1 : number(b, header, size);
    if (last < first) {
      throw bad("Range '" + header + "' ends before it starts", size);
    }
    if (first >= size) {
      throw bad(
          "Range '" + header + "' starts at or after the end of the " + size + "-byte object",
          size);
    }
    return new ByteRange(first, Math.min(last, size - 1));
  }

  private static long number(String s, String header, long size) {
    if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(Character::isDigit)) {
      throw bad("Range '" + header + "': '" + s + "' is not a byte position", size);
    }
    return Long.parseLong(s);
  }

  private static GatewayError bad(String message, long size) {
    return new RangeError(message, size);
  }

  /** A 416 that carries the object size for its {@code Content-Range: bytes *&#47;size}. */
  static final class RangeError extends GatewayError {
    private static final long serialVersionUID = 1L;
    private final long size;

    RangeError(String message, long size) {
      super(NOT_SATISFIABLE, message);
      this.size = size;
    }

    long size() {
      return size;
    }
  }
}
