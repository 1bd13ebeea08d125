package org.deoss.transfer.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/form-data} body as it streams in, one part at a time, with a fixed
 * buffer: a part's bytes are handed to the caller as they arrive and never held whole. Parts are
 * separated by {@code CRLF--boundary}; the first boundary may follow no CRLF, a part's headers end
 * at an empty line, and {@code --boundary--} ends the body. Malformed input throws {@link
 * GatewayError} 400 naming what was wrong. Not thread-safe.
 */
final class MultipartReader {
  /** One part: its name and file name from Content-Disposition, its type, and its bytes. */
  record Part(String name, String filename, String contentType, InputStream body) {}

  private static final int BUFFER = 64 << 10;
  private static final int MAX_HEADER_BYTES = 8 << 10;

  private final InputStream in;
  private final byte[] delimiter; // CRLF--boundary
  private final byte[] buf;
  private int pos;
  private int lim;
  private boolean eof;
  private boolean finished;
  private PartStream current;

  MultipartReader(InputStream in, String boundary) {
    if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
      throw GatewayError.badRequest(
          "multipart/form-data needs a boundary of 1..70 characters in Content-Type");
    }
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.buf = new byte[BUFFER + delimiter.length];
    // The body starts with "--boundary": pretend a CRLF came before it.
    buf[0] = '\r';
    buf[1] = '\n';
    lim = 2;
  }

  /** The boundary parameter of a multipart Content-Type, or null. */
  static String boundary(String contentType) {
    if (contentType == null) {
      return null;
    }
    for (String p : contentType.split(";")) {
      String t = p.strip();
      if (t.regionMatches(true, 0, "boundary=", 0, 9)) {
        String b = t.substring(9).strip();
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
          b = b.substring(1, b.length() - 1);
        }
        return b;
      }
    }
    return null;
  }

  /**
   * The next part, after skipping what is left of the current one; null after the closing boundary.
   */
  Part next() throws IOException {
    if (current != null) {
      current.skipRest();
      current = null;
    } else if (!finished) {
      skipPreamble();
    }
    if (finished) {
      return null;
    }
    Map<String, String> headers = readHeaders();
    String disposition = headers.get("content-disposition");
    if (disposition == null) {
      throw GatewayError.badRequest("a multipart part has no Content-Disposition header");
    }
    current = new PartStream();
    return new Part(
        param(disposition, "name"),
        param(disposition, "filename"),
        headers.get("content-type"),
        current);
  }

  /** Skips bytes up to and including the first delimiter, then what follows it. */
  private void skipPreamble() throws IOException {
    PartStream preamble = new PartStream();
    preamble.skipRest();
  }

  /** After a delimiter: "--" ends the body, CRLF starts a part; anything else is malformed. */
  private void afterDelimiter() throws IOException {
    fill(2);
    if (lim - pos < 2) {
      throw GatewayError.badRequest("multipart body ends inside a boundary line");
    }
    if (buf[pos] == '-' && buf[pos + 1] == '-') {
      pos += 2;
      finished = true;
      return;
    }
    // Transport padding (spaces, tabs) may follow the boundary before the CRLF.
    while (true) {
      fill(2);
      if (lim - pos < 2) {
        throw GatewayError.badRequest("multipart body ends inside a boundary line");
      }
      if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
        pos += 2;
        return;
      }
      if (buf[pos] != ' ' && buf[pos] != '\t') {
        throw GatewayError.badRequest(
            "a multipart boundary line is followed by neither CRLF nor --");
      }
      pos++;
    }
  }

  private Map<String, String> readHeaders() throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    int total = 0;
    while (true) {
      StringBuilder line = new StringBuilder();
      while (true) {
        fill(1);
        if (pos >= lim) {
          throw GatewayError.badRequest("multipart body ends inside a part's headers");
        }
        byte c = buf[pos++];
        if (++total > MAX_HEADER_BYTES) {
          throw GatewayError.badRequest(
              "a multipart part's headers exceed " + MAX_HEADER_BYTES + " bytes");
        }
        if (c == '\n') {
          break;
        }
        line.append((char) (c & 0xff));
      }
      int end = line.length();
      if (end > 0 && line.charAt(end - 1) == '\r') {
        line.setLength(end - 1);
      }
      if (line.length() == 0) {
        return headers;
      }
      int colon = line.indexOf(":");
      if (colon <= 0) {
        throw GatewayError.badRequest("malformed multipart part header '" + line + "'");
      }
      String value =
          new String(
              line.substring(colon + 1).strip().getBytes(StandardCharsets.ISO_8859_1),
              StandardCharsets.UTF_8);
      headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), value);
    }
  }

  /** A parameter of a Content-Disposition value ({@code name="file"}), or null. */
  static String param(String header, String name) {
    int i = 0;
    while (i < header.length()) {
      int semi = header.indexOf(';', i);
      if (semi < 0) {
        return null;
      }
      int eq = header.indexOf('=', semi);
      if (eq < 0) {
        return null;
      }
      String key = header.substring(semi + 1, eq).strip();
      int start = eq + 1;
      String value;
      int next;
      if (start < header.length() && header.charAt(start) == '"') {
        StringBuilder v = new StringBuilder();
        int j = start + 1;
        while (j < header.length() && header.charAt(j) != '"') {
          if (header.charAt(j) == '\\' && j + 1 < header.length()) {
            j++;
          }
          v.append(header.charAt(j++));
        }
        value = v.toString();
        next = j + 1;
      } else {
        int end = header.indexOf(';', start);
        next = end < 0 ? header.length() : end;
        value = header.substring(start, next).strip();
      }
      if (key.equalsIgnoreCase(name)) {
        return value;
      }
      i = next;
    }
    return null;
  }

  /** Tops the buffer up until it holds {@code n} unread bytes or the input ends. */
  private void fill(int n) throws IOException {
    if (lim - pos >= n || eof) {
      return;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
    while (lim - pos < n && !eof) {
      int r = in.read(buf, lim, buf.length - lim);
      if (r < 0) {
        eof = true;
      } else {
        lim += r;
      }
    }
  }

  /** Where the delimiter starts in {@code buf[pos, lim)}, or -1. */
  private int find() {
    byte first = delimiter[0];
    outer:
    for (int i = pos; i <= lim - delimiter.length; i++) {
      if (buf[i] != first) {
        continue;
      }
      for (int j = 1; j < delimiter.length; j++) {
        if (buf[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The bytes of one part, up to the next delimiter. */
  private final class PartStream extends InputStream {
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      while (true) {
        fill(delimiter.length);
        int at = find();
        if (at == pos) {
          pos += delimiter.length;
          done = true;
          afterDelimiter();
          return -1;
        }
        // Bytes before a delimiter, or before a possible partial one at the end, are part data.
        int safe = at >= 0 ? at : Math.max(pos, lim - delimiter.length + 1);
        if (safe > pos) {
          int n = Math.min(len, safe - pos);
          System.arraycopy(buf, pos, b, off, n);
          pos += n;
          return n;
        }
        if (eof) {
          throw GatewayError.badRequest(
              "multipart body ends without its closing boundary (the upload was cut short?)");
        }
      }
    }

    void skipRest() throws IOException {
      byte[] scratch = new byte[8192];
      while (read(scratch, 0, scratch.length) >= 0) {
        // discard
      }
    }
  }
}
