package org.deoss.transfer.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.deoss.core.access.ObjectKeys;
import org.deoss.core.account.EncryptionKeys;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.ObjectRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The routes over loopback HTTP against an in-memory network. */
class GatewayServerTest {
  private static final long SEED = 20261124;
  private final GatewayFixture f;

  GatewayServerTest() throws InterruptedException {
    f = new GatewayFixture();
  }

  @AfterEach
  void close() {
    f.close();
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return Exchange.JSON.readTree(r.body());
  }

  private static void assertEnvelope(HttpResponse<String> r, int status, String msgPart)
      throws Exception {
    JsonNode j = json(r);
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(status, j.get("code").asInt(), r.body());
    assertTrue(j.get("msg").asText().contains(msgPart), r.body());
  }

  private byte[] data(int size, long seed) {
    byte[] d = new byte[size];
    new SplittableRandom(seed).nextBytes(d);
    return d;
  }

  private String aliceObject(String key) {
    return "/file/download/" + f.alice.id().address() + "/" + GatewayFixture.BUCKET + "/" + key;
  }

  @Test
  void version_isABareJsonString() throws Exception {
    HttpResponse<String> r = f.send(f.request("/version").build());
    assertEquals(200, r.statusCode());
    assertEquals("\"deoss-java test\"", r.body());
  }

  @Test
  void putRaw_thenDownload_returnsTheSameBytes() throws Exception {
    byte[] d = data(3 * (1 << 20) + 17, SEED);
    HttpResponse<String> put = f.putRaw(f.alice, "dir/a.bin", d);
    assertEnvelope(put, 200, "ok");
    JsonNode data = json(put).get("data");
    assertEquals(d.length, data.get("size").asLong());
    assertEquals(f.alice.id().address(), data.get("owner").asText());
    assertEquals(64, data.get("fid").asText().length());
    HttpResponse<byte[]> get =
        f.sendBytes(f.signedRequest(aliceObject("dir/a.bin"), f.alice).build());
    assertEquals(200, get.statusCode());
    assertArrayEquals(d, get.body());
    assertEquals("bytes", get.headers().firstValue("Accept-Ranges").orElseThrow());
    assertTrue(
        get.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment"));
  }

  @Test
  void putRaw_wrapsTheKeyForOwnerAndGateway() throws Exception {
    f.putRaw(f.alice, "k.txt", "hi".getBytes(StandardCharsets.UTF_8));
    ObjectRecord r = f.ledger.object(f.alice.id(), GatewayFixture.BUCKET, "k.txt").orElseThrow();
    assertEquals(java.util.Set.of(f.alice.id(), f.gatewayKeys.id()), r.access().grantees());
    DataKey mine =
        ObjectKeys.open(
            r.access(), r.manifest().objectId(), f.alice.id(), EncryptionKeys.derive(f.alice));
    assertEquals(32, mine.bytes().length);
  }

  @Test
  void putMultipart_thenOpen_keepsTheContentType() throws Exception {
    byte[] d = data(1_500_000, SEED + 1);
    String b = "xYzBoundary";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + b
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pic.bin\"\r\n"
                + "Content-Type: image/png\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(d);
    body.writeBytes(("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> put =
        f.send(
            f.signedRequest("/file", f.alice)
                .header("Bucket", GatewayFixture.BUCKET)
                .header("Content-Type", "multipart/form-data; boundary=" + b)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
    assertEnvelope(put, 200, "ok");
    assertEquals("pic.bin", json(put).get("data").get("key").asText());
    HttpResponse<byte[]> open =
        f.sendBytes(
            f.signedRequest("/file/open/" + f.alice.id().address() + "/photos/pic.bin", f.alice)
                .build());
    assertEquals(200, open.statusCode());
    assertEquals("image/png", open.headers().firstValue("Content-Type").orElseThrow());
    assertTrue(open.headers().firstValue("Content-Disposition").orElseThrow().startsWith("inline"));
    assertArrayEquals(d, open.body());
  }

  @Test
  void download_withRanges_isByteExact() throws Exception {
    byte[] d = data(2 * (1 << 20) + 999, SEED + 2);
    f.putRaw(f.alice, "r.bin", d);
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 12; i++) {
      long a = random.nextLong(d.length);
      long b = Math.min(d.length - 1, a + random.nextLong(1 << 21));
      HttpResponse<byte[]> r =
          f.sendBytes(
              f.signedRequest(aliceObject("r.bin"), f.alice)
                  .header("Range", "bytes=" + a + "-" + b)
                  .build());
      assertEquals(206, r.statusCode(), "seed " + SEED + " range " + a + "-" + b);
      assertEquals(
          "bytes " + a + "-" + b + "/" + d.length,
          r.headers().firstValue("Content-Range").orElseThrow());
      assertArrayEquals(Arrays.copyOfRange(d, (int) a, (int) b + 1), r.body(), "seed " + SEED);
    }
    HttpResponse<byte[]> tail =
        f.sendBytes(
            f.signedRequest(aliceObject("r.bin"), f.alice).header("Range", "bytes=-10").build());
    assertArrayEquals(Arrays.copyOfRange(d, d.length - 10, d.length), tail.body());
  }

  @Test
  void download_whenRangeUnsatisfiable_is416WithTheSize() throws Exception {
    f.putRaw(f.alice, "s.bin", new byte[100]);
    HttpResponse<String> r =
        f.send(
            f.signedRequest(aliceObject("s.bin"), f.alice).header("Range", "bytes=100-").build());
    assertEnvelope(r, 416, "Range");
    assertEquals("bytes */100", r.headers().firstValue("Content-Range").orElseThrow());
  }

  @Test
  void download_publicObject_needsNoSignature() throws Exception {
    byte[] d = data(1000, SEED + 3);
    assertEnvelope(f.putRaw(f.alice, "pub.txt", d, "Visibility", "public"), 200, "ok");
    HttpResponse<byte[]> r = f.sendBytes(f.request(aliceObject("pub.txt")).build());
    assertEquals(200, r.statusCode());
    assertArrayEquals(d, r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
    HttpRequest sameHeaders = f.signedRequest(aliceObject("pub.txt"), f.bob).build();
    assertEquals(200, f.sendBytes(sameHeaders).statusCode());
    assertEquals(200, f.sendBytes(sameHeaders).statusCode(), "no replay check for public reads");
  }

  @Test
  void download_privateObjectWithoutSignature_is401() throws Exception {
    f.putRaw(f.alice, "p.bin", new byte[10]);
    assertEnvelope(f.send(f.request(aliceObject("p.bin")).build()), 401, "not public");
  }

  @Test
  void download_byAnotherAccount_is403_untilShared_andAgainAfterRevoke() throws Exception {
    f.putRaw(f.alice, "s.bin", new byte[10]);
    assertEnvelope(
        f.send(f.signedRequest(aliceObject("s.bin"), f.bob).build()), 403, "neither the owner");
    ObjectRecord r = f.ledger.object(f.alice.id(), "photos", "s.bin").orElseThrow();
    DataKey key =
        ObjectKeys.open(
            r.access(), r.manifest().objectId(), f.alice.id(), EncryptionKeys.derive(f.alice));
    Map<org.deoss.core.account.AccountId, byte[]> readers =
        Map.of(
            f.alice.id(), EncryptionKeys.derive(f.alice).publicKey(),
            f.gatewayKeys.id(), EncryptionKeys.derive(f.gatewayKeys).publicKey(),
            f.bob.id(), EncryptionKeys.derive(f.bob).publicKey());
    f.submit(
        f.alice,
        new Call.SetAccess(
            f.alice.id(),
            "photos",
            "s.bin",
            ObjectKeys.sharedAccess(
                readers, key, r.manifest().objectId(), new java.security.SecureRandom())));
    assertEquals(
        200, f.sendBytes(f.signedRequest(aliceObject("s.bin"), f.bob).build()).statusCode());
    f.submit(
        f.alice,
        new Call.SetAccess(
            f.alice.id(),
            "photos",
            "s.bin",
            ObjectKeys.sharedAccess(
                Map.of(
                    f.alice.id(), EncryptionKeys.derive(f.alice).publicKey(),
                    f.gatewayKeys.id(), EncryptionKeys.derive(f.gatewayKeys).publicKey()),
                key,
                r.manifest().objectId(),
                new java.security.SecureRandom())));
    assertEnvelope(
        f.send(f.signedRequest(aliceObject("s.bin"), f.bob).build()), 403, "neither the owner");
  }

  @Test
  void download_whenGatewayIsNoGrantee_is403NamingIt() throws Exception {
    ObjectRecord any;
    // Carol's object written without the gateway: wrapped for Carol only.
    f.submit(f.carol, new Call.Authorize(f.gatewayKeys.id()));
    f.putRaw(f.carol, "c.bin", new byte[10]);
    any = f.ledger.object(f.carol.id(), "photos", "c.bin").orElseThrow();
    DataKey key =
        ObjectKeys.open(
            any.access(), any.manifest().objectId(), f.carol.id(), EncryptionKeys.derive(f.carol));
    f.submit(
        f.carol,
        new Call.SetAccess(
            f.carol.id(),
            "photos",
            "c.bin",
            ObjectKeys.privateAccess(
                f.carol.id(),
                EncryptionKeys.derive(f.carol).publicKey(),
                key,
                any.manifest().objectId(),
                new java.security.SecureRandom())));
    assertEnvelope(
        f.send(
            f.signedRequest("/file/download/" + f.carol.id().address() + "/photos/c.bin", f.carol)
                .build()),
        403,
        "cannot decrypt");
  }

  @Test
  void put_byAccountThatDidNotAuthorizeTheGateway_is403NamingTheCommand() throws Exception {
    HttpResponse<String> r = f.putRaw(f.bob, "x.bin", new byte[10]);
    assertEnvelope(r, 403, "deoss authorize " + f.gatewayKeys.id().address());
  }

  @Test
  void put_withBadSignature_is401() throws Exception {
    String[] h = f.signed(f.alice);
    h[5] = Signatures.hex(f.bob.sign(h[3].getBytes(StandardCharsets.UTF_8)));
    HttpResponse<String> r =
        f.send(
            f.request("/object/x.bin")
                .headers(h)
                .header("Bucket", "photos")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
                .build());
    assertEnvelope(r, 401, "does not verify");
  }

  @Test
  void put_replayed_is401() throws Exception {
    String[] h = f.signed(f.alice);
    HttpRequest req =
        f.request("/object/y.bin")
            .headers(h)
            .header("Bucket", "photos")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
            .build();
    assertEquals(200, f.send(req).statusCode());
    assertEnvelope(f.send(req), 401, "replayed");
  }

  @Test
  void put_withExpiredMessage_is401() throws Exception {
    String[] h = f.signed(f.alice);
    f.now.addAndGet(6 * 60_000);
    HttpResponse<String> r =
        f.send(
            f.request("/object/z.bin")
                .headers(h)
                .header("Bucket", "photos")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
                .build());
    assertEnvelope(r, 401, "old");
  }

  @Test
  void put_whenTooLargeByContentLength_is413() throws Exception {
    byte[] big = new byte[(64 << 20) + 1];
    HttpResponse<String> r = f.putRaw(f.alice, "big.bin", big);
    assertEnvelope(r, 413, "exceeds");
  }

  @Test
  void put_whenSpaceTooSmall_is507() throws Exception {
    try (GatewayFixture small = new GatewayFixture(o -> o.withMaxObjectBytes(3L << 30))) {
      // Alice has 1 GiB: a 2 GiB Content-Length is refused before the body is sent.
      java.net.Socket s = new java.net.Socket();
      String head =
          "PUT /object/huge.bin HTTP/1.1\r\nHost: x\r\nBucket: photos\r\n"
              + header(small.signed(small.alice))
              + "Content-Length: "
              + (2L << 30)
              + "\r\nExpect: 100-continue\r\n\r\n";
      String answer =
          small.raw(head.getBytes(StandardCharsets.US_ASCII), java.time.Duration.ofSeconds(10));
      s.close();
      assertTrue(answer.startsWith("HTTP/1.1 507"), answer);
      assertTrue(answer.contains("space free"), answer);
    }
  }

  static String header(String[] kv) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < kv.length; i += 2) {
      b.append(kv[i]).append(": ").append(kv[i + 1]).append("\r\n");
    }
    return b.toString();
  }

  @Test
  void put_withBadKeyOrMissingBucket_is400() throws Exception {
    assertEnvelope(f.putRaw(f.alice, "a//b", new byte[1]), 400, "object key");
    HttpResponse<String> r =
        f.send(
            f.signedRequest("/object/k", f.alice)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1]))
                .build());
    assertEnvelope(r, 400, "Bucket");
  }

  @Test
  void put_intoMissingBucket_is404() throws Exception {
    HttpResponse<String> r =
        f.send(
            f.signedRequest("/object/k", f.alice)
                .header("Bucket", "nobucket")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1]))
                .build());
    assertEnvelope(r, 404, "no bucket");
  }

  @Test
  void buckets_createListDelete() throws Exception {
    assertEnvelope(
        f.send(
            f.signedRequest("/bucket/new-one", f.alice)
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build()),
        200,
        "ok");
    assertEnvelope(
        f.send(
            f.signedRequest("/bucket/new-one", f.alice)
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build()),
        409,
        "BUCKET_EXISTS");
    HttpResponse<String> list =
        f.send(f.request("/bucket?Account=" + f.alice.id().address()).build());
    assertEquals(2, json(list).get("data").size(), list.body());
    assertEnvelope(
        f.send(
            f.signedRequest("/bucket/Bad_Name", f.alice)
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build()),
        400,
        "bucket name");
    f.putRaw(f.alice, "keep", new byte[1]);
    assertEnvelope(
        f.send(f.signedRequest("/bucket/photos", f.alice).DELETE().build()), 409, "NOT_EMPTY");
    assertEnvelope(f.send(f.signedRequest("/bucket/new-one", f.alice).DELETE().build()), 200, "ok");
  }

  @Test
  void metadataListAndDelete() throws Exception {
    for (String k : new String[] {"a/1", "a/2", "a/3", "b/1"}) {
      f.putRaw(f.alice, k, k.getBytes(StandardCharsets.UTF_8));
    }
    HttpResponse<String> meta =
        f.send(f.request("/file/metadata/" + f.alice.id().address() + "/photos/a/2").build());
    assertEquals("a/2", json(meta).get("data").get("key").asText(), meta.body());
    assertEquals(3, json(meta).get("data").get("size").asInt());
    String list = "/file/list?Account=" + f.alice.id().address() + "&Bucket=photos&Prefix=a/";
    JsonNode page = json(f.send(f.request(list + "&Limit=2").build())).get("data");
    assertEquals(2, page.get("objects").size());
    assertTrue(page.get("truncated").asBoolean());
    JsonNode next =
        json(f.send(f.request(list + "&Limit=2&StartAfter=" + page.get("next").asText()).build()))
            .get("data");
    assertEquals("a/3", next.get("objects").get(0).get("key").asText());
    assertEnvelope(
        f.send(f.signedRequest("/file/photos/a/2", f.alice).DELETE().build()), 200, "ok");
    assertEnvelope(
        f.send(f.signedRequest("/file/photos/a/2", f.alice).DELETE().build()), 404, "NO_SUCH");
    assertEnvelope(
        f.send(f.request("/file/metadata/" + f.alice.id().address() + "/photos/a/2").build()),
        404,
        "no object");
  }

  @Test
  void unknownRoute_is404NamingIt() throws Exception {
    assertEnvelope(f.send(f.request("/nothing/here").build()), 404, "no route GET /nothing/here");
    assertEnvelope(f.send(f.request("/version").DELETE().build()), 404, "no route DELETE /version");
  }

  @Test
  void download_ownerFromSignature_whenPathNamesNone() throws Exception {
    f.putRaw(f.alice, "mine.bin", new byte[] {1, 2, 3});
    HttpResponse<byte[]> r =
        f.sendBytes(f.signedRequest("/file/download/photos/mine.bin", f.alice).build());
    assertEquals(200, r.statusCode());
    assertArrayEquals(new byte[] {1, 2, 3}, r.body());
  }

  @Test
  void corsPreflight_allowsAnyOrigin_andAnswersCarryTheOriginHeader() throws Exception {
    HttpResponse<String> pre =
        f.send(
            f.request("/object/x").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(204, pre.statusCode());
    assertTrue(
        pre.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("PUT"));
    HttpResponse<String> v = f.send(f.request("/version").build());
    assertEquals("*", v.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
  }

  @Test
  void emptyObject_roundTrips() throws Exception {
    assertEnvelope(f.putRaw(f.alice, "empty", new byte[0]), 200, "ok");
    HttpResponse<byte[]> r = f.sendBytes(f.signedRequest(aliceObject("empty"), f.alice).build());
    assertEquals(200, r.statusCode());
    assertEquals(0, r.body().length);
  }
}
