package org.deoss.transfer.node;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request copied off the Netty buffers: method, decoded path segments, query parameters, content
 * type and body bytes. Copying on the event loop lets the route run on an executor with nothing to
 * release.
 */
record NodeRequest(
    String method,
    List<String> segments,
    Map<String, List<String>> params,
    String contentType,
    byte[] body) {

  static NodeRequest of(String method, String uri, String contentType, byte[] body) {
    QueryStringDecoder d = new QueryStringDecoder(uri);
    List<String> segments = new ArrayList<>();
    for (String raw : d.rawPath().split("/", -1)) {
      if (!raw.isEmpty()) {
        segments.add(decode(raw));
      }
    }
    return new NodeRequest(method, segments, d.parameters(), contentType, body);
  }

  private static String decode(String raw) {
    try {
      // '+' is a literal in a path segment, not a space.
      return QueryStringDecoder.decodeComponent(raw.replace("+", "%2B"));
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("path segment '" + raw + "' is not well percent-encoded");
    }
  }

  String path() {
    return "/" + String.join("/", segments);
  }

  /** The single value of query parameter {@code name}, or {@code fallback} when absent. */
  String param(String name, String fallback) {
    List<String> v = params.get(name);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    if (v.size() > 1) {
      throw HttpError.badRequest("query parameter '" + name + "' given " + v.size() + " times");
    }
    return v.get(0);
  }

  /** Query parameter {@code name} as a long in {@code [min, max]}, or {@code fallback}. */
  long longParam(String name, long fallback, long min, long max) {
    String s = param(name, null);
    if (s == null) {
      return fallback;
    }
    long v;
    try {
      v = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw HttpError.badRequest(
          "query parameter '" + name + "' must be an integer, got '" + s + "'");
    }
    if (v < min || v > max) {
      throw HttpError.badRequest(
          "query parameter '" + name + "' must be in " + min + ".." + max + ", got " + v);
    }
    return v;
  }
}
