package org.deoss.transfer.gateway;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import org.deoss.core.account.AccountId;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.pipeline.ProgressListener;

/**
 * {@code GET /file/download|open|metadata/[OWNER/]BUCKET/KEY}: finds the object, checks who may
 * read it ({@link ObjectAccess}), and streams its bytes or a single range.
 */
final class Downloads {
  private final GatewayServer.Backend backend;
  private final Authenticator auth;
  private final ObjectAccess access;

  Downloads(GatewayServer.Backend backend, Authenticator auth, ObjectAccess access) {
    this.backend = backend;
    this.auth = auth;
    this.access = access;
  }

  /** Streams the object (or the asked range), as an attachment or {@code inline}. */
  void download(Exchange ex, boolean inline) throws IOException {
    Signer signer = new Signer(ex);
    ObjectRecord r = find(ex, signer);
    // A public object is served whatever the signature headers say (a browser repeating a
    // request with the same headers, for a range, is no replay worth refusing).
    AccountId requester =
        r.access().visibility() == org.deoss.core.ledger.Visibility.PUBLIC ? null : signer.get();
    DataKey key = access.dataKey(r, requester);
    long size = r.size();
    String rangeHeader = ex.header(HttpHeaderNames.RANGE);
    if (rangeHeader == null) {
      String legacy = ex.header(HttpHeaderNames.CONTENT_RANGE); // what DeOSS's open reads
      rangeHeader = legacy != null && legacy.strip().startsWith("bytes=") ? legacy : null;
    }
    ByteRange range = ByteRange.parse(rangeHeader, size);
    HttpHeaders h = new DefaultHttpHeaders();
    h.set(HttpHeaderNames.CONTENT_TYPE, ObjectViews.contentType(r));
    h.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    h.set(HttpHeaderNames.ETAG, "\"" + r.manifest().fid().toHex() + "\"");
    h.set(
        HttpHeaderNames.LAST_MODIFIED,
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            java.time.Instant.ofEpochMilli(r.modifiedMillis()).atZone(java.time.ZoneOffset.UTC)));
    String name = r.key().substring(r.key().lastIndexOf('/') + 1);
    h.set(HttpHeaderNames.CONTENT_DISPOSITION, ObjectViews.disposition(inline, name));
    long offset = range == null ? 0 : range.first();
    long length = range == null ? size : range.length();
    HttpResponseStatus status = HttpResponseStatus.OK;
    if (range != null) {
      status = HttpResponseStatus.PARTIAL_CONTENT;
      h.set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(size));
    }
    OutputStream out = ex.stream(status, h, length);
    if (ex.method().equals("HEAD") || length == 0) {
      out.close();
      return;
    }
    try {
      backend.reader().read(r.manifest(), key, offset, length, out, ProgressListener.NONE);
    } catch (IOException | RuntimeException e) {
      Exchange.abort(out);
      throw e;
    }
    out.close();
  }

  /**
   * The object a download, open or metadata path names: {@code /file/OP/[OWNER/]BUCKET/KEY}, the
   * owner defaulting to the signer.
   */
  /** The object a metadata path names (the signer, if any, as owner when the path names none). */
  ObjectRecord find(Exchange ex) {
    return find(ex, new Signer(ex));
  }

  private ObjectRecord find(Exchange ex, Signer signer) {
    List<String> s = ex.segments();
    if (s.size() < 4) {
      throw GatewayError.badRequest("name the object: /file/" + s.get(1) + "/[OWNER/]BUCKET/KEY");
    }
    AccountId owner = Requests.parseAccount(s.get(2));
    int bucketAt = 2;
    if (owner != null) {
      bucketAt = 3;
    } else {
      owner = signer.get();
      if (owner == null) {
        throw GatewayError.badRequest(
            "name the owner: /file/" + s.get(1) + "/OWNER/BUCKET/KEY, or sign the request");
      }
    }
    if (s.size() <= bucketAt + 1) {
      throw GatewayError.badRequest("name the object: /file/" + s.get(1) + "/[OWNER/]BUCKET/KEY");
    }
    String bucket = s.get(bucketAt);
    String key = ex.pathAfter(bucketAt + 1);
    Requests.checkKey(key);
    AccountId o = owner;
    return backend
        .ledger()
        .object(owner, bucket, key)
        .orElseThrow(() -> GatewayError.notFound("no object " + bucket + "/" + key + " of " + o));
  }

  /** The signer of a request, checked at most once and only when needed; null when unsigned. */

  /** The signer of a request, checked at most once and only when needed; null when unsigned. */
  private final class Signer {
    private final Exchange ex;
    private Optional<AccountId> value;

    Signer(Exchange ex) {
      this.ex = ex;
    }

    AccountId get() {
      if (value == null) {
        value = auth.optional(Requests.credentials(ex));
      }
      return value.orElse(null);
    }
  }
}
