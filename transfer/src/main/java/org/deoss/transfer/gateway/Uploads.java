package org.deoss.transfer.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.deoss.core.account.AccountId;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.ledger.PutCondition;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.pipeline.ProgressListener;
import org.deoss.core.pipeline.WriteResult;

/**
 * {@code PUT /object/KEY} (raw body) and {@code PUT /file} (multipart): checks everything that can
 * be checked before the body is read (bucket, declared size against free space, the owner's key),
 * then streams the body into the object writer, commits the object with the owner as owner, and
 * answers its metadata. At most {@code slots} uploads encode at once.
 */
final class Uploads {
  static final String BUCKET = "Bucket";
  static final String FILENAME = "Filename";
  static final String VISIBILITY = "Visibility";

  private final GatewayServer.Backend backend;
  private final ObjectAccess access;
  private final Semaphore uploadSlots;

  Uploads(GatewayServer.Backend backend, ObjectAccess access, int slots) {
    this.backend = backend;
    this.access = access;
    this.uploadSlots = new Semaphore(slots, true);
  }

  /**
   * Stores the body of {@code ex} for {@code owner} (already authenticated and authorized): a raw
   * body as {@code pathKey}, or the part named {@code file} of a multipart form.
   */
  void upload(Exchange ex, AccountId owner, String pathKey, boolean multipart) throws IOException {
    String bucket = ex.header(BUCKET) != null ? ex.header(BUCKET) : ex.param("bucket", "Bucket");
    if (bucket == null) {
      throw GatewayError.badRequest("missing header Bucket: name the bucket to store into");
    }
    boolean makePublic = visibility(ex);
    if (backend.ledger().bucket(owner, bucket).isEmpty()) {
      throw GatewayError.notFound(owner + " has no bucket '" + bucket + "'");
    }
    long declared = Requests.declaredLength(ex);
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
        Requests.checkKey(key);
        String type = storedType(ex.header(HttpHeaderNames.CONTENT_TYPE));
        ex.ok(store(owner, bucket, key, makePublic, type, ex.body()));
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
          Requests.checkKey(key);
          ObjectNode done =
              store(owner, bucket, key, makePublic, storedType(part.contentType()), part.body());
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

  /** Writes {@code in} through the pipeline and commits it; returns the object's metadata. */
  private ObjectNode store(
      AccountId owner, String bucket, String key, boolean makePublic, String type, InputStream in)
      throws IOException {
    ObjectId id = ObjectId.random(backend.random());
    DataKey dataKey = DataKey.generate(backend.random());
    WriteResult written = backend.writer().write(id, dataKey, in, ProgressListener.NONE);
    Access acc = access.forNewVersion(owner, bucket, key, makePublic, dataKey, id);
    long nowNanos = backend.clock().millis() * 1_000_000L;
    Map<String, byte[]> xattrs =
        type == null
            ? Map.of()
            : Map.of(ObjectViews.MIME_XATTR, type.getBytes(StandardCharsets.UTF_8));
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
    return ObjectViews.metadata(r);
  }

  /** A media type worth keeping: not the defaults curl and forms send for any bytes. */

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
}
