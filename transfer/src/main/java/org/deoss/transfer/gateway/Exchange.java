package org.deoss.transfer.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One request and its answer, as a route sees it: method, path, headers, query, the streamed body,
 * and the ways to answer — a {@code {code, msg, data}} envelope, or a streamed body. Each exchange
 * is answered exactly once. Created on the event loop; used by one route thread.
 */
final class Exchange {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int CHUNK = 64 << 10;

  private final HttpRequest request;
  private final Channel channel;
  private final RequestBody body;
  private final boolean keepAlive;
  private final Consumer<Boolean> onAnswered;
  private final long stallNanos;
  private final List<String> segments = new ArrayList<>();
  private final Map<String, List<String>> params;
  private final String rawPath;
  private final AtomicBoolean answered = new AtomicBoolean();
  private final Object writable = new Object();

  /**
   * @param stallNanos how long a streamed answer waits for a client that reads nothing
   * @param onAnswered called once the answer is flushed, with whether the connection may carry
   *     another request
   */
  Exchange(
      HttpRequest request,
      Channel channel,
      RequestBody body,
      boolean keepAlive,
      long stallNanos,
      Consumer<Boolean> onAnswered) {
    this.stallNanos = stallNanos;
    this.request = request;
    this.channel = channel;
    this.body = body;
    this.keepAlive = keepAlive;
    this.onAnswered = onAnswered;
    QueryStringDecoder d = new QueryStringDecoder(request.uri());
    this.rawPath = d.rawPath();
    this.params = d.parameters();
    for (String raw : rawPath.split("/", -1)) {
      if (!raw.isEmpty()) {
        segments.add(decode(raw));
      }
    }
  }

  static String decode(String raw) {
    try {
      return QueryStringDecoder.decodeComponent(raw.replace("+", "%2B"));
    } catch (IllegalArgumentException e) {
      throw GatewayError.badRequest("path '" + raw + "' is not well percent-encoded");
    }
  }

  String method() {
    return request.method().name();
  }

  List<String> segments() {
    return segments;
  }

  /**
   * The decoded rest of the path after its first {@code n} segments, keeping its slashes (an object
   * key).
   */
  String pathAfter(int n) {
    int i = 0;
    int at = 0;
    String p = rawPath;
    while (at < p.length() && p.charAt(at) == '/') {
      at++;
    }
    while (i < n) {
      int slash = p.indexOf('/', at);
      if (slash < 0) {
        return "";
      }
      at = slash + 1;
      i++;
    }
    return decode(p.substring(at));
  }

  String path() {
    return rawPath;
  }

  HttpHeaders headers() {
    return request.headers();
  }

  String header(CharSequence name) {
    return request.headers().get(name);
  }

  /** A query parameter (the first of the names that is present), or null. */
  String param(String... names) {
    for (String n : names) {
      List<String> v = params.get(n);
      if (v != null && !v.isEmpty()) {
        return v.get(0);
      }
    }
    return null;
  }

  RequestBody body() {
    return body;
  }

  boolean answered() {
    return answered.get();
  }

  // ---- answers ----------------------------------------------------------------------------------

  /** Answers {@code 200 {code: 200, msg: "ok", data}}. */
  void ok(JsonNode data) {
    envelope(HttpResponseStatus.OK, "ok", data, null);
  }

  /** Answers an error envelope with the status of {@code e} (see {@link ErrorTable}). */
  void fail(Throwable e) {
    HttpResponseStatus status = ErrorTable.status(e);
    HttpHeaders extra = null;
    if (e instanceof ByteRange.RangeError r) {
      extra = new io.netty.handler.codec.http.DefaultHttpHeaders();
      extra.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + r.size());
    }
    envelope(status, ErrorTable.message(e), null, extra);
  }

  void envelope(HttpResponseStatus status, String msg, JsonNode data, HttpHeaders extra) {
    ObjectNode o = JSON.createObjectNode();
    o.put("code", status.code());
    o.put("msg", msg);
    o.set("data", data);
    json(status, o, extra);
  }

  /** Answers with {@code value} as the JSON body, as is (DeOSS's {@code /version}). */
  void json(HttpResponseStatus status, JsonNode value, HttpHeaders extra) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
    if (!answered.compareAndSet(false, true)) {
      throw new IllegalStateException("answered twice: " + method() + " " + rawPath);
    }
    FullHttpResponse resp =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    if (extra != null) {
      resp.headers().add(extra);
    }
    resp.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    boolean again = connectionHeader(resp, status);
    finish(channel.writeAndFlush(resp), again);
  }

  /** Whether the connection stays open after this answer; sets the Connection header. */
  private boolean connectionHeader(HttpResponse resp, HttpResponseStatus status) {
    // An answer sent before the whole body arrived closes the connection: what follows on the
    // wire is the rest of a body nobody will read.
    boolean again = keepAlive && body.ended();
    resp.headers()
        .set(
            HttpHeaderNames.CONNECTION,
            again ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    cors(resp.headers());
    return again;
  }

  /**
   * As DeOSS: any origin may call the gateway from a browser (requests carry no cookies; the
   * signature headers are the credentials), and scripts may read the range and length headers.
   */
  static void cors(HttpHeaders h) {
    h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    h.set(
        HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS,
        "Content-Range, Content-Length, Content-Disposition, ETag, Accept-Ranges");
  }

  /** Answers a CORS preflight: 204 allowing every method the routes take and any header. */
  void preflight() {
    if (!answered.compareAndSet(false, true)) {
      throw new IllegalStateException("answered twice: " + method() + " " + rawPath);
    }
    FullHttpResponse resp =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
    resp.headers()
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, PUT, POST, DELETE, OPTIONS")
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "*")
        .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
    boolean again = connectionHeader(resp, HttpResponseStatus.NO_CONTENT);
    finish(channel.writeAndFlush(resp), again);
  }

  private void finish(ChannelFuture written, boolean again) {
    written.addListener(
        f -> {
          // The handler closes the connection when it may not carry another request.
          onAnswered.accept(again && f.isSuccess());
        });
  }

  /**
   * Starts a streamed answer of {@code length} bytes with {@code headers}; the caller writes
   * exactly that many bytes to the stream and closes it, which ends the answer. {@code length} 0 or
   * a HEAD request: nothing to write.
   */
  OutputStream stream(HttpResponseStatus status, HttpHeaders headers, long length) {
    if (!answered.compareAndSet(false, true)) {
      throw new IllegalStateException("answered twice: " + method() + " " + rawPath);
    }
    HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
    resp.headers().add(headers);
    resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
    boolean again = connectionHeader(resp, status);
    channel.write(resp);
    return new Body(again);
  }

  /** Called by the handler when the channel's writability changes or it closes. */
  void writabilityChanged() {
    synchronized (writable) {
      writable.notifyAll();
    }
  }

  /** The streamed body: 64 KiB chunks, waiting while the channel's outbound buffer is full. */
  private final class Body extends OutputStream {
    private final boolean again;
    private ByteBuf chunk;
    private boolean closed;

    Body(boolean again) {
      this.again = again;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        if (chunk == null) {
          awaitWritable();
          chunk = channel.alloc().buffer(CHUNK, CHUNK);
        }
        int n = Math.min(len, chunk.writableBytes());
        chunk.writeBytes(b, off, n);
        off += n;
        len -= n;
        if (!chunk.isWritable()) {
          send();
        }
      }
    }

    private void send() {
      ByteBuf c = chunk;
      chunk = null;
      channel.writeAndFlush(new DefaultHttpContent(c));
    }

    private void awaitWritable() throws IOException {
      synchronized (writable) {
        long deadline = System.nanoTime() + stallNanos;
        while (!channel.isWritable()) {
          if (!channel.isActive()) {
            throw new IOException("the client closed the connection during the download");
          }
          if (System.nanoTime() - deadline > 0) {
            channel.close();
            throw new IOException(
                "the client read nothing for "
                    + stallNanos / 1_000_000_000L
                    + " s; connection closed");
          }
          try {
            writable.wait(1000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending");
          }
        }
      }
      if (!channel.isActive()) {
        throw new IOException("the client closed the connection during the download");
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (chunk != null && chunk.isReadable()) {
        send();
      } else if (chunk != null) {
        chunk.release();
        chunk = null;
      }
      finish(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), again);
    }

    /** Drops the unsent chunk and the connection: the answer cannot be completed. */
    void abort() {
      closed = true;
      if (chunk != null) {
        chunk.release();
        chunk = null;
      }
      channel.close();
      onAnswered.accept(false);
    }
  }

  /** Ends a streamed answer that failed halfway: the client sees a short body and a close. */
  static void abort(OutputStream stream) {
    if (stream instanceof Body b) {
      b.abort();
    }
  }
}
