package org.deoss.transfer.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.deoss.core.account.AccountId;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.BucketInfo;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.Names;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.ledger.PutCondition;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.pipeline.ProgressListener;
import org.deoss.core.pipeline.WriteResult;

/**
 * The routes (see {@code docs/GATEWAY.md}), run on a worker thread; every exception they throw is
 * answered by {@link ErrorTable}.
 *
 * <pre>
 *   GET    /version                                     "deoss-java VERSION" (a bare JSON string)
 *   GET    /bucket?Account=                             the account's buckets
 *   PUT    /bucket/NAME   (or header Bucket)     sig    create a bucket
 *   DELETE /bucket/NAME                          sig    delete an empty bucket
 *   PUT    /file          multipart field file   sig    header Bucket; key = header Filename, else
 *                                                       the part's file name
 *   PUT    /object/KEY    raw body               sig    header Bucket
 *   GET    /file/download/[OWNER/]BUCKET/KEY     sig*   the bytes (Range), as an attachment
 *   GET    /file/open/[OWNER/]BUCKET/KEY         sig*   the bytes (Range), inline
 *   GET    /file/metadata/[OWNER/]BUCKET/KEY            the object record
 *   DELETE /file/BUCKET/KEY                      sig    delete an object of the signer
 *   GET    /file/list?Account=&amp;Bucket=&amp;Prefix=&amp;Delimiter=&amp;StartAfter=&amp;Limit=   one page
 * </pre>
 *
 * {@code OPTIONS} on any path answers a CORS preflight. {@code sig*}: public objects need no
 * signature. Writes are signed by the gateway with the signer as owner, which the ledger allows
 * only when the signer authorized the gateway.
 */
final class GatewayRoutes {
  static final String BUCKET = "Bucket";
  static final String FILENAME = "Filename";
  static final String VISIBILITY = "Visibility";

  /** Where the media type given at upload is kept, as file managers read it. */
  static final String MIME_XATTR = "user.mime_type";

  private final GatewayServer.Backend backend;
  private final Authenticator auth;
  private final ObjectAccess access;
  private final Semaphore uploadSlots;
  private final String version;

  GatewayRoutes(
      GatewayServer.Backend backend, Authenticator auth, int uploadSlots, String version) {
    this.backend = backend;
    this.auth = auth;
    this.access =
        new ObjectAccess(
            backend.keys().id(), backend.encryption(), backend.ledger(), backend.random());
    this.uploadSlots = new Semaphore(uploadSlots, true);
    this.version = version;
  }

  /** Whether a request streams an object body (its limit is the object limit, not 64 KiB). */
  static boolean isUpload(String method, String uri) {
    if (!method.equals("PUT") && !method.equals("POST")) {
      return false;
    }
    String p = new QueryStringDecoder(uri).rawPath();
    return p.equals("/file") || p.equals("/file/") || p.startsWith("/object/");
  }

  void handle(Exchange ex) throws IOException {
    List<String> s = ex.segments();
    String m = ex.method();
    String first = s.isEmpty() ? "" : s.get(0);
    if (m.equals("OPTIONS")) {
      ex.preflight();
      return;
    }
    switch (first) {
      case "version" -> {
        expect(ex, s.size() == 1 && m.equals("GET"));
        ex.json(HttpResponseStatus.OK, TextNode.valueOf(version), null);
      }
      case "bucket" -> bucket(ex, m, s);
      case "object" -> {
        expect(ex, s.size() >= 2 && isWrite(m));
        upload(ex, ex.pathAfter(1), false);
      }
      case "file" -> file(ex, m, s);
      default -> throw noRoute(ex);
    }
  }

  private void bucket(Exchange ex, String m, List<String> s) {
    if (s.size() == 1 && m.equals("GET")) {
      AccountId owner = accountParam(ex);
      ArrayNode a = Exchange.JSON.createArrayNode();
      for (BucketInfo b : backend.ledger().buckets(owner)) {
        a.addObject()
            .put("name", b.name())
            .put("objects", b.objectCount())
            .put("created", b.createdMillis());
      }
      ex.ok(a);
      return;
    }
    String name = s.size() == 2 ? s.get(1) : s.size() == 1 ? ex.header(BUCKET) : null;
    if (name == null || s.size() > 2 || !(m.equals("PUT") || m.equals("DELETE"))) {
      throw noRoute(ex);
    }
    AccountId owner = actingFor(ex);
    String problem = Names.bucketNameProblem(name);
    if (problem != null) {
      throw GatewayError.badRequest("bucket name '" + name + "': " + problem);
    }
    if (m.equals("PUT")) {
      backend.tx().submitAndWait(new Call.CreateBucket(owner, name));
    } else {
      backend.tx().submitAndWait(new Call.DeleteBucket(owner, name));
    }
    ex.ok(Exchange.JSON.createObjectNode().put("bucket", name).put("owner", owner.address()));
  }

  private void file(Exchange ex, String m, List<String> s) throws IOException {
    if (s.size() == 1) {
      expect(ex, isWrite(m));
      upload(ex, null, true);
      return;
    }
    String op = s.get(1);
    if (m.equals("DELETE")) {
      AccountId owner = actingFor(ex);
      String bucket = s.get(1);
      String key = ex.pathAfter(2);
      checkKey(key);
      backend.tx().submitAndWait(new Call.DeleteObject(owner, bucket, key));
      ex.ok(
          Exchange.JSON
              .createObjectNode()
              .put("bucket", bucket)
              .put("key", key)
              .put("owner", owner.address()));
      return;
    }
    switch (op) {
      case "download", "open" -> {
        expect(ex, m.equals("GET") || m.equals("HEAD"));
        download(ex, op.equals("open"));
      }
      case "metadata" -> {
        expect(ex, m.equals("GET"));
        ex.ok(metadata(find(ex, new Signer(ex))));
      }
      case "list" -> {
        expect(ex, m.equals("GET") && s.size() == 2);
        list(ex);
      }
      default -> throw noRoute(ex);
    }
  }

  // ---- uploads --------------------------------------------------------------------------------

  private void upload(Exchange ex, String pathKey, boolean multipart) throws IOException {
    AccountId owner = actingFor(ex);
    String bucket = ex.header(BUCKET) != null ? ex.header(BUCKET) : ex.param("bucket", "Bucket");
    if (bucket == null) {
      throw GatewayError.badRequest("missing header Bucket: name the bucket to store into");
    }
    boolean makePublic = visibility(ex);
    if (backend.ledger().bucket(owner, bucket).isEmpty()) {
      throw GatewayError.notFound(owner + " has no bucket '" + bucket + "'");
    }
    long declared = declaredLength(ex);
    long free = backend.ledger().account(owner).space().freeBytes();
    if (!multipart && declared > free) {
      throw new GatewayError(
          GatewayError.INSUFFICIENT_STORAGE,
          owner + " has " + free + " bytes of space free, the object has " + declared);
    }
    if (!makePublic) {
      access.ownerKey(owner); // refuse before the body is sent
    }
    String filenameHeader = ex.header(FILENAME);
    try {
      uploadSlots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for an upload slot");
    }
    try {
      if (!multipart) {
        String key = filenameHeader != null ? decodeFilename(filenameHeader) : pathKey;
        checkKey(key);
        String type = storedType(ex.header(HttpHeaderNames.CONTENT_TYPE));
        store(ex, owner, bucket, key, makePublic, type, ex.body());
        return;
      }
      String boundary = MultipartReader.boundary(ex.header(HttpHeaderNames.CONTENT_TYPE));
      String ct = ex.header(HttpHeaderNames.CONTENT_TYPE);
      if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
        throw GatewayError.badRequest(
            "PUT /file takes multipart/form-data with a part named 'file'"
                + " (curl -F file=@PATH); for a raw body use PUT /object/KEY");
      }
      MultipartReader parts = new MultipartReader(ex.body(), boundary);
      MultipartReader.Part part;
      while ((part = parts.next()) != null) {
        if ("file".equals(part.name())) {
          String key = filenameHeader != null ? decodeFilename(filenameHeader) : part.filename();
          if (key == null || key.isEmpty()) {
            throw GatewayError.badRequest(
                "the part 'file' has no file name; send header Filename with the key");
          }
          checkKey(key);
          ObjectNode done =
              store(ex, owner, bucket, key, makePublic, storedType(part.contentType()), null, part);
          while (parts.next() != null) {
            // the rest of the form is ignored
          }
          ex.ok(done);
          return;
        }
      }
      throw GatewayError.badRequest("the multipart form has no part named 'file'");
    } finally {
      uploadSlots.release();
    }
  }

  private void store(
      Exchange ex,
      AccountId owner,
      String bucket,
      String key,
      boolean makePublic,
      String type,
      InputStream body)
      throws IOException {
    ex.ok(store(ex, owner, bucket, key, makePublic, type, body, null));
  }

  private ObjectNode store(
      Exchange ex,
      AccountId owner,
      String bucket,
      String key,
      boolean makePublic,
      String type,
      InputStream body,
      MultipartReader.Part part)
      throws IOException {
    InputStream in = part != null ? part.body() : body;
    ObjectId id = ObjectId.random(backend.random());
    DataKey dataKey = DataKey.generate(backend.random());
    WriteResult written = backend.writer().write(id, dataKey, in, ProgressListener.NONE);
    Access acc = access.forNewObject(owner, makePublic, dataKey, id);
    long nowNanos = backend.clock().millis() * 1_000_000L;
    Map<String, byte[]> xattrs =
        type == null ? Map.of() : Map.of(MIME_XATTR, type.getBytes(StandardCharsets.UTF_8));
    PosixAttributes attrs = PosixAttributes.of(0644, 0, 0, nowNanos, nowNanos, "", xattrs);
    backend
        .tx()
        .submitAndWait(
            new Call.PutObject(
                owner, bucket, key, written.manifest(), attrs, acc, PutCondition.none()));
    ObjectRecord r =
        backend
            .ledger()
            .object(owner, bucket, key)
            .orElseThrow(() -> new IllegalStateException(bucket + "/" + key + " vanished"));
    return metadata(r);
  }

  /** A media type worth keeping: not the defaults curl and forms send for any bytes. */
  private static String storedType(String contentType) {
    if (contentType == null) {
      return null;
    }
    String t = contentType.strip();
    String base = t.toLowerCase(Locale.ROOT);
    if (base.startsWith("application/octet-stream")
        || base.startsWith("application/x-www-form-urlencoded")
        || base.startsWith("multipart/")
        || !ContentTypes.valid(t)) {
      return null;
    }
    return t;
  }

  private static String decodeFilename(String h) {
    return h.contains("%") ? Exchange.decode(h) : h;
  }

  private static boolean visibility(Exchange ex) {
    String v = ex.header(VISIBILITY);
    if (v == null || v.equalsIgnoreCase("private")) {
      return false;
    }
    if (v.equalsIgnoreCase("public")) {
      return true;
    }
    throw GatewayError.badRequest("header Visibility must be private or public, got '" + v + "'");
  }

  // ---- downloads ------------------------------------------------------------------------------

  private void download(Exchange ex, boolean inline) throws IOException {
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
    h.set(HttpHeaderNames.CONTENT_TYPE, contentType(r));
    h.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    h.set(HttpHeaderNames.ETAG, "\"" + r.manifest().fid().toHex() + "\"");
    h.set(
        HttpHeaderNames.LAST_MODIFIED,
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            java.time.Instant.ofEpochMilli(r.modifiedMillis()).atZone(java.time.ZoneOffset.UTC)));
    String name = r.key().substring(r.key().lastIndexOf('/') + 1);
    h.set(HttpHeaderNames.CONTENT_DISPOSITION, disposition(inline, name));
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

  private static String disposition(boolean inline, String name) {
    StringBuilder ascii = new StringBuilder();
    for (char c : name.toCharArray()) {
      ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
    }
    return (inline ? "inline" : "attachment")
        + "; filename=\""
        + ascii
        + "\"; filename*=UTF-8''"
        + pct(name);
  }

  private static String pct(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~".indexOf(c) >= 0) {
        b.append((char) c);
      } else {
        b.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return b.toString();
  }

  private static String contentType(ObjectRecord r) {
    byte[] stored = r.attributes().xattr(MIME_XATTR);
    if (stored != null) {
      return new String(stored, StandardCharsets.UTF_8);
    }
    return ContentTypes.guess(r.key());
  }

  /**
   * The object a download, open or metadata path names: {@code /file/OP/[OWNER/]BUCKET/KEY}, the
   * owner defaulting to the signer.
   */
  private ObjectRecord find(Exchange ex, Signer signer) {
    List<String> s = ex.segments();
    if (s.size() < 4) {
      throw GatewayError.badRequest("name the object: /file/" + s.get(1) + "/[OWNER/]BUCKET/KEY");
    }
    AccountId owner = parseAccount(s.get(2));
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
    checkKey(key);
    AccountId o = owner;
    return backend
        .ledger()
        .object(owner, bucket, key)
        .orElseThrow(() -> GatewayError.notFound("no object " + bucket + "/" + key + " of " + o));
  }

  /** The signer of a request, checked at most once and only when needed; null when unsigned. */
  private final class Signer {
    private final Exchange ex;
    private Optional<AccountId> value;

    Signer(Exchange ex) {
      this.ex = ex;
    }

    AccountId get() {
      if (value == null) {
        value = auth.optional(credentials(ex));
      }
      return value.orElse(null);
    }
  }

  private static AccountId parseAccount(String s) {
    if (s.length() < 40) {
      return null; // bucket names are at most 63 characters, addresses about 49
    }
    try {
      return AccountId.parse(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  // ---- metadata and listing -------------------------------------------------------------------

  private static ObjectNode metadata(ObjectRecord r) {
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.put("owner", r.owner().address());
    o.put("bucket", r.bucket());
    o.put("key", r.key());
    o.put("fid", r.manifest().fid().toHex());
    o.put("size", r.size());
    o.put("version", r.version());
    o.put("visibility", r.access().visibility().name().toLowerCase(Locale.ROOT));
    ArrayNode g = o.putArray("grantees");
    r.access().grantees().forEach(a -> g.add(a.address()));
    o.put("contentType", contentType(r));
    o.put("created", r.createdMillis());
    o.put("modified", r.modifiedMillis());
    o.put("segments", r.manifest().segments().size());
    return o;
  }

  private void list(Exchange ex) {
    AccountId owner = accountParam(ex);
    String bucket = ex.param("Bucket", "bucket");
    if (bucket == null) {
      bucket = ex.header(BUCKET);
    }
    if (bucket == null) {
      throw GatewayError.badRequest("missing Bucket: /file/list?Account=ADDRESS&Bucket=NAME");
    }
    String prefix = orEmpty(ex.param("Prefix", "prefix"));
    String delimiter = orEmpty(ex.param("Delimiter", "delimiter"));
    String startAfter = ex.param("StartAfter", "startAfter", "start-after");
    String limitText = ex.param("Limit", "limit");
    int limit = 1000;
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 1000) {
        throw GatewayError.badRequest("Limit must be 1..1000, got '" + limitText + "'");
      }
    }
    ListPage page = backend.ledger().list(owner, bucket, prefix, delimiter, startAfter, limit);
    ObjectNode o = Exchange.JSON.createObjectNode();
    ArrayNode objects = o.putArray("objects");
    for (ObjectRecord r : page.objects()) {
      objects
          .addObject()
          .put("key", r.key())
          .put("size", r.size())
          .put("fid", r.manifest().fid().toHex())
          .put("modified", r.modifiedMillis())
          .put("visibility", r.access().visibility().name().toLowerCase(Locale.ROOT));
    }
    ArrayNode prefixes = o.putArray("prefixes");
    page.commonPrefixes().forEach(prefixes::add);
    o.put("truncated", page.truncated());
    o.put("next", page.next());
    ex.ok(o);
  }

  private static long declaredLength(Exchange ex) {
    String v = ex.header(HttpHeaderNames.CONTENT_LENGTH);
    try {
      return v == null ? -1 : Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw GatewayError.badRequest("Content-Length '" + v + "' is not a number");
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static Authenticator.Credentials credentials(Exchange ex) {
    return new Authenticator.Credentials(
        ex.header(Authenticator.ACCOUNT),
        ex.header(Authenticator.MESSAGE),
        ex.header(Authenticator.SIGNATURE));
  }

  /**
   * The signer, who must have authorized this gateway on the ledger to have it write for them.
   *
   * @throws GatewayError 401 (signature) or 403 (not authorized)
   */
  private AccountId actingFor(Exchange ex) {
    AccountId signer = auth.authenticate(credentials(ex));
    AccountId gateway = backend.keys().id();
    if (!signer.equals(gateway) && !backend.ledger().authorizations(signer).contains(gateway)) {
      throw GatewayError.forbidden(
          signer
              + " has not authorized this gateway to act for it; authorize it with: deoss"
              + " authorize "
              + gateway);
    }
    return signer;
  }

  /** The account a listing is about: query {@code Account}, else the header; no signature. */
  private static AccountId accountParam(Exchange ex) {
    String a = ex.param("Account", "account");
    if (a == null) {
      a = ex.header(Authenticator.ACCOUNT);
    }
    if (a == null) {
      throw GatewayError.badRequest("Please set your Account in the header or url (?Account=)");
    }
    try {
      return AccountId.parse(a.strip());
    } catch (IllegalArgumentException e) {
      throw GatewayError.badRequest(
          "Account '" + a + "' is not an SS58 address: " + e.getMessage());
    }
  }

  private static void checkKey(String key) {
    String problem = key == null ? "it is empty" : Names.keyProblem(key);
    if (problem != null) {
      throw GatewayError.badRequest("object key '" + key + "': " + problem);
    }
  }

  private static boolean isWrite(String method) {
    return method.equals("PUT") || method.equals("POST");
  }

  private static void expect(Exchange ex, boolean ok) {
    if (!ok) {
      throw noRoute(ex);
    }
  }

  private static GatewayError noRoute(Exchange ex) {
    return new GatewayError(
        HttpResponseStatus.NOT_FOUND,
        "no route " + ex.method() + " " + ex.path() + "; the routes are listed in docs/GATEWAY.md");
  }
}
