package org.deoss.transfer.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.deoss.core.account.AccountId;
import org.deoss.core.ledger.BucketInfo;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.Names;
import org.deoss.core.ledger.ObjectRecord;

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
 *   GET    /file/download/[OWNER/]Uploads.BUCKET/KEY     sig*   the bytes (Range), as an attachment
 *   GET    /file/open/[OWNER/]Uploads.BUCKET/KEY         sig*   the bytes (Range), inline
 *   GET    /file/metadata/[OWNER/]Uploads.BUCKET/KEY            the object record
 *   DELETE /file/Uploads.BUCKET/KEY                      sig    delete an object of the signer
 *   GET    /file/list?Account=&amp;Bucket=&amp;Prefix=&amp;Delimiter=&amp;StartAfter=&amp;Limit=   one page
 * </pre>
 *
 * {@code OPTIONS} on any path answers a CORS preflight. {@code sig*}: public objects need no
 * signature. Writes are signed by the gateway with the signer as owner, which the ledger allows
 * only when the signer authorized the gateway.
 */
final class GatewayRoutes {
  private final GatewayServer.Backend backend;
  private final Authenticator auth;
  private final Uploads uploads;
  private final Downloads downloads;
  private final String version;

  GatewayRoutes(
      GatewayServer.Backend backend, Authenticator auth, int uploadSlots, String version) {
    this.backend = backend;
    this.auth = auth;
    ObjectAccess access =
        new ObjectAccess(
            backend.keys().id(), backend.encryption(), backend.ledger(), backend.random());
    this.uploads = new Uploads(backend, access, uploadSlots);
    this.downloads = new Downloads(backend, auth, access);
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
        uploads.upload(ex, actingFor(ex), ex.pathAfter(1), false);
      }
      case "file" -> file(ex, m, s);
      default -> throw noRoute(ex);
    }
  }

  private void bucket(Exchange ex, String m, List<String> s) {
    if (s.size() == 1 && m.equals("GET")) {
      AccountId owner = Requests.accountParam(ex);
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
    String name = s.size() == 2 ? s.get(1) : s.size() == 1 ? ex.header(Uploads.BUCKET) : null;
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
      uploads.upload(ex, actingFor(ex), null, true);
      return;
    }
    String op = s.get(1);
    if (m.equals("DELETE")) {
      AccountId owner = actingFor(ex);
      String bucket = s.get(1);
      String key = ex.pathAfter(2);
      Requests.checkKey(key);
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
        downloads.download(ex, op.equals("open"));
      }
      case "metadata" -> {
        expect(ex, m.equals("GET"));
        ex.ok(ObjectViews.metadata(downloads.find(ex)));
      }
      case "list" -> {
        expect(ex, m.equals("GET") && s.size() == 2);
        list(ex);
      }
      default -> throw noRoute(ex);
    }
  }

  private void list(Exchange ex) {
    AccountId owner = Requests.accountParam(ex);
    String bucket = ex.param("Bucket", "bucket");
    if (bucket == null) {
      bucket = ex.header(Uploads.BUCKET);
    }
    if (bucket == null) {
      throw GatewayError.badRequest("missing Bucket: /file/list?Account=ADDRESS&Bucket=NAME");
    }
    String prefix = Requests.orEmpty(ex.param("Prefix", "prefix"));
    String delimiter = Requests.orEmpty(ex.param("Delimiter", "delimiter"));
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

  private AccountId actingFor(Exchange ex) {
    AccountId signer = auth.authenticate(Requests.credentials(ex));
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
