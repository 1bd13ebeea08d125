package org.deoss.transfer.gateway;

import java.net.URLConnection;
import java.util.Locale;
import java.util.Map;

/** The media type of an object guessed from its key's extension (as DeOSS guesses from a name). */
final class ContentTypes {
  static final String DEFAULT = "application/octet-stream";

  private static final Map<String, String> COMMON =
      Map.ofEntries(
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("md", "text/markdown; charset=utf-8"),
          Map.entry("csv", "text/csv; charset=utf-8"),
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("htm", "text/html; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("xml", "application/xml"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("zip", "application/zip"),
          Map.entry("gz", "application/gzip"),
          Map.entry("tar", "application/x-tar"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("mp3", "audio/mpeg"),
          Map.entry("ogg", "audio/ogg"),
          Map.entry("wav", "audio/wav"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("webm", "video/webm"),
          Map.entry("mkv", "video/x-matroska"),
          Map.entry("wasm", "application/wasm"));

  private ContentTypes() {}

  static String guess(String key) {
    int slash = key.lastIndexOf('/');
    String name = key.substring(slash + 1);
    int dot = name.lastIndexOf('.');
    if (dot < 0 || dot == name.length() - 1) {
      return DEFAULT;
    }
    String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
    String t = COMMON.get(ext);
    if (t != null) {
      return t;
    }
    t = URLConnection.getFileNameMap().getContentTypeFor(name);
    return t != null ? t : DEFAULT;
  }

  /** Whether {@code value} is a plausible media type to store and send back. */
  static boolean valid(String value) {
    return value != null
        && value.length() <= 200
        && value.matches(
            "[A-Za-z0-9.+-]+/[A-Za-z0-9.+-]+(\\s*;\\s*[A-Za-z0-9_.-]+=\"?[^\";]*\"?)*");
  }
}
