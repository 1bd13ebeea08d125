package org.deoss.transfer.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.SignedTransaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad request gets its status and a JSON error naming the problem; the node keeps serving. */
class LedgerNodeServerErrorsTest {
  private static final String NET = "errors-net";
  @TempDir Path dir;
  private final AccountKeys alice = keys(1);
  private NodeFixture node;
  private HttpClient http;
  private URI base;

  static AccountKeys keys(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    seed[31] = 3;
    return AccountKeys.fromSeed(seed);
  }

  @BeforeEach
  void start() throws Exception {
    Genesis g = Genesis.builder(NET).endow(alice.id(), 1000 * Genesis.TOKEN).build();
    node = new NodeFixture(dir, g, LedgerNodeServer.Options.defaults().withMaxRequestBytes(80_000));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    base = node.server.uri();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private record Answer(int status, JsonNode body) {
    String error() {
      return body.path("error").asText();
    }

    String message() {
      return body.path("message").asText();
    }
  }

  private Answer send(HttpRequest.Builder b) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(
        "application/json", r.headers().firstValue("content-type").orElse(""), "content type");
    return new Answer(r.statusCode(), Json.MAPPER.readTree(r.body()));
  }

  private Answer get(String path) throws Exception {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  private Answer postJson(String body) throws Exception {
    return send(
        HttpRequest.newBuilder(base.resolve("/v1/transactions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private void assertStillServing() throws Exception {
    Answer a = get("/v1/network");
    assertEquals(200, a.status());
    assertEquals(NET, a.body().path("networkId").asText());
  }

  @Test
  void post_malformedJson_is400NamingJson() throws Exception {
    Answer a = postJson("{\"transaction\": ");
    assertEquals(400, a.status());
    assertEquals("BAD_REQUEST", a.error());
    assertTrue(a.message().contains("not valid JSON"), a.message());
    assertStillServing();
  }

  @Test
  void post_badBase64_is400NamingBase64() throws Exception {
    Answer a = postJson("{\"transaction\": \"not*base64!\"}");
    assertEquals(400, a.status());
    assertTrue(a.message().contains("base64"), a.message());
    assertStillServing();
  }

  @Test
  void post_missingField_is400NamingTheField() throws Exception {
    Answer a = postJson("{\"tx\": \"AAAA\"}");
    assertEquals(400, a.status());
    assertTrue(a.message().contains("'transaction'"), a.message());
  }

  @Test
  void post_undecodableTransaction_is400() throws Exception {
    Answer a =
        postJson("{\"transaction\": \"" + Base64.getEncoder().encodeToString(new byte[40]) + "\"}");
    assertEquals(400, a.status());
    assertTrue(a.message().contains("does not decode"), a.message());
  }

  @Test
  void post_wrongContentType_is400() throws Exception {
    Answer a =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/transactions"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")));
    assertEquals(400, a.status());
    assertTrue(a.message().contains("content type"), a.message());
  }

  @Test
  void post_forgedSignature_is403BadSignature() throws Exception {
    SignedTransaction tx = SignedTransaction.sign(alice, NET, 0, new Call.Faucet());
    byte[] sig = tx.signature();
    sig[5] ^= 1;
    byte[] forged = new SignedTransaction(alice.id(), 0, tx.call(), sig).encode();
    Answer a =
        postJson("{\"transaction\": \"" + Base64.getEncoder().encodeToString(forged) + "\"}");
    assertEquals(403, a.status());
    assertEquals("REJECTED", a.error());
    assertEquals("BAD_SIGNATURE", a.body().path("reason").asText());
    assertTrue(a.message().contains(alice.id().address()), a.message());
  }

  @Test
  void post_rawBytes_commitsAndReturnsTheReceipt() throws Exception {
    SignedTransaction tx =
        SignedTransaction.sign(alice, NET, 0, new Call.Transfer(keys(2).id(), 5));
    Answer a =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/transactions"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(tx.encode())));
    assertEquals(200, a.status());
    assertEquals(tx.hash().toHex(), a.body().path("txHash").asText());
    Answer again = get("/v1/transactions/" + tx.hash().toHex());
    assertEquals(200, again.status());
    assertEquals(a.body(), again.body());
    Answer replay =
        postJson("{\"transaction\": \"" + Base64.getEncoder().encodeToString(tx.encode()) + "\"}");
    assertEquals(409, replay.status());
    assertEquals("BAD_NONCE", replay.body().path("reason").asText());
  }

  @Test
  void outcomes_answerFinishedAndUnknownTransactions_andRefuseTooMany() throws Exception {
    SignedTransaction tx =
        SignedTransaction.sign(alice, NET, 0, new Call.Transfer(keys(2).id(), 5));
    Answer posted =
        postJson("{\"transaction\": \"" + Base64.getEncoder().encodeToString(tx.encode()) + "\"}");
    assertEquals(200, posted.status());
    String unknown = "cd".repeat(32);
    Answer a =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/transactions/outcomes?wait=5"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"hashes\": [\"" + tx.hash().toHex() + "\", \"" + unknown + "\"]}")));
    assertEquals(200, a.status());
    JsonNode outcomes = a.body().path("outcomes");
    assertEquals(2, outcomes.size());
    assertEquals(200, outcomes.get(0).path("status").asInt());
    assertEquals(posted.body(), outcomes.get(0).path("body"));
    assertEquals(404, outcomes.get(1).path("status").asInt());
    assertEquals("NOT_FOUND", outcomes.get(1).path("body").path("error").asText());

    StringBuilder many = new StringBuilder("{\"hashes\": [");
    for (int i = 0; i <= NodeRoutes.MAX_OUTCOMES; i++) {
      many.append(i == 0 ? "" : ",").append('"').append(unknown).append('"');
    }
    Answer tooMany =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/transactions/outcomes"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(many.append("]}").toString())));
    assertEquals(400, tooMany.status());
    assertTrue(tooMany.message().contains("at most"), tooMany.message());
  }

  private Answer postBatch(byte[] body) throws Exception {
    return send(
        HttpRequest.newBuilder(base.resolve("/v1/transactions/batch"))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private static byte[] batchOf(byte[]... encoded) {
    int size = 4;
    for (byte[] e : encoded) {
      size += 4 + e.length;
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(size).putInt(encoded.length);
    for (byte[] e : encoded) {
      b.putInt(e.length).put(e);
    }
    return b.array();
  }

  @Test
  void batch_takesEachTransactionInOrder_andAnswersEachOutcome() throws Exception {
    SignedTransaction t0 =
        SignedTransaction.sign(alice, NET, 0, new Call.Transfer(keys(2).id(), 5));
    SignedTransaction t1 =
        SignedTransaction.sign(alice, NET, 1, new Call.Transfer(keys(2).id(), 6));
    SignedTransaction badNonce =
        SignedTransaction.sign(alice, NET, 7, new Call.Transfer(keys(2).id(), 7));
    Answer a = postBatch(batchOf(t0.encode(), t1.encode(), badNonce.encode()));
    assertEquals(200, a.status());
    JsonNode outcomes = a.body().path("outcomes");
    assertEquals(3, outcomes.size());
    assertEquals(t0.hash().toHex(), outcomes.get(0).path("txHash").asText());
    assertEquals(t1.hash().toHex(), outcomes.get(1).path("txHash").asText());
    for (int i = 0; i < 2; i++) {
      int status = outcomes.get(i).path("status").asInt();
      assertTrue(status == 200 || status == 202, "outcome " + i + ": " + outcomes.get(i));
    }
    // Each one is known by hash and commits; the gap in nonces is refused on its own.
    for (SignedTransaction tx : new SignedTransaction[] {t0, t1}) {
      Answer done = get("/v1/transactions/" + tx.hash().toHex() + "?wait=10");
      assertEquals(200, done.status(), done.body().toString());
    }
    Answer refused = get("/v1/transactions/" + badNonce.hash().toHex() + "?wait=10");
    assertEquals(409, refused.status(), refused.body().toString());
    assertEquals("BAD_NONCE", refused.body().path("reason").asText());
    assertEquals(
        2, get("/v1/accounts/" + alice.id().address() + "/nonce").body().path("nonce").asLong());

    // A committed transaction posted again in a batch is answered as a replay: applied once.
    Answer replay = postBatch(batchOf(t0.encode()));
    assertEquals(200, replay.status());
    assertEquals(409, replay.body().path("outcomes").get(0).path("status").asInt());
    assertEquals(
        2, get("/v1/accounts/" + alice.id().address() + "/nonce").body().path("nonce").asLong());
  }

  @Test
  void batch_malformedBody_is400AndTakesNothing() throws Exception {
    SignedTransaction t0 =
        SignedTransaction.sign(alice, NET, 0, new Call.Transfer(keys(2).id(), 5));
    byte[] good = batchOf(t0.encode());
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    byte[] zero = {0, 0, 0, 0};
    byte[] undecodable = batchOf(t0.encode(), new byte[40]);
    for (byte[] body : new byte[][] {truncated, trailing, zero, undecodable, new byte[2]}) {
      Answer a = postBatch(body);
      assertEquals(400, a.status(), a.body().toString());
      assertEquals("BAD_REQUEST", a.error());
    }
    assertTrue(postBatch(undecodable).message().contains("transaction 1"), "names the index");
    Answer wrongType =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/transactions/batch"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(good)));
    assertEquals(400, wrongType.status());
    assertEquals(
        0, get("/v1/accounts/" + alice.id().address() + "/nonce").body().path("nonce").asLong());
    assertStillServing();
  }

  @Test
  void unknownRoute_is404NoRoute() throws Exception {
    Answer a = get("/v1/nothing/here");
    assertEquals(404, a.status());
    assertEquals("NO_ROUTE", a.error());
    assertTrue(a.message().contains("/v1/nothing/here"), a.message());
    assertEquals(404, get("/").status());
    assertStillServing();
  }

  @Test
  void wrongMethod_is405() throws Exception {
    Answer a = send(HttpRequest.newBuilder(base.resolve("/v1/head")).DELETE());
    assertEquals(405, a.status());
    assertEquals("METHOD_NOT_ALLOWED", a.error());
  }

  @Test
  void oversizedBody_is413AndTheNodeKeepsServing() throws Exception {
    Answer a =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/transactions"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[90_000])));
    assertEquals(413, a.status());
    assertEquals("TOO_LARGE", a.error());
    assertTrue(a.message().contains("80000"), a.message());
    assertStillServing();
  }

  @Test
  void badQueryParameters_are400NamingTheParameter() throws Exception {
    Answer limit = get("/v1/repair-orders?limit=abc");
    assertEquals(400, limit.status());
    assertTrue(limit.message().contains("'limit'"), limit.message());
    Answer zero = get("/v1/repair-orders?limit=0");
    assertEquals(400, zero.status());
    Answer after = get("/v1/blocks?after=-1");
    assertEquals(400, after.status());
    assertTrue(after.message().contains("'after'"), after.message());
    Answer missing = get("/v1/blocks");
    assertEquals(400, missing.status());
    Answer twice = get("/v1/blocks?after=1&after=2");
    assertEquals(400, twice.status());
    Answer wait = get("/v1/blocks?after=0&wait=100000");
    assertEquals(400, wait.status());
    assertStillServing();
  }

  @Test
  void badAddressAndHash_are400() throws Exception {
    Answer a = get("/v1/accounts/notAnAddress/nonce");
    assertEquals(400, a.status());
    assertTrue(a.message().contains("notAnAddress"), a.message());
    Answer h = get("/v1/fragments/xyz");
    assertEquals(400, h.status());
    Answer height = get("/v1/blocks/ten");
    assertEquals(400, height.status());
  }

  @Test
  void missingThings_are404NotFound_andAMissingBucketIsARejection() throws Exception {
    String owner = alice.id().address();
    Answer bucket = get("/v1/accounts/" + owner + "/buckets/nope");
    assertEquals(404, bucket.status());
    assertEquals("NOT_FOUND", bucket.error());
    Answer list = get("/v1/accounts/" + owner + "/buckets/nope/objects");
    assertEquals(404, list.status());
    assertEquals("REJECTED", list.error());
    assertEquals("NO_SUCH_BUCKET", list.body().path("reason").asText());
    assertEquals(404, get("/v1/blocks/99").status());
    assertEquals(404, get("/v1/transactions/" + "ab".repeat(32)).status());
    assertEquals(404, get("/v1/miners/" + owner).status());
  }

  @Test
  void malformedHttp_is400() throws Exception {
    try (var s = new java.net.Socket("127.0.0.1", node.server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              "GET /v1/head HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
      assertTrue(answer.contains("BAD_REQUEST"), answer);
    }
    assertStillServing();
  }
}
