package org.deoss.transfer.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.port.InMemoryLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handler in memory ({@link EmbeddedChannel}, routes run inline, a frozen ledger clock): each
 * answer is written in order, reading pauses while a request is served, and no buffer leaks
 * (surefire runs with paranoid leak detection).
 */
class NodeHandlerTest {
  private static final String NET = "embedded-net";
  private final AccountKeys alice = LedgerNodeServerErrorsTest.keys(1);
  private ScheduledExecutorService scheduler;
  private BlockFeed feed;
  private InMemoryLedger ledger;
  private EmbeddedChannel ch;

  @BeforeEach
  void setUp() {
    ledger =
        new InMemoryLedger(
            Genesis.builder(NET).endow(alice.id(), 1000 * Genesis.TOKEN).build(),
            () -> 1_700_000_000_000L);
    scheduler = Executors.newSingleThreadScheduledExecutor();
    feed = new BlockFeed(ledger, scheduler, 1000);
    NodeRoutes routes = new NodeRoutes(ledger, new TxTracker(ledger, 10), feed, 60_000);
    ch = new EmbeddedChannel(new NodeHandler(routes, Runnable::run));
  }

  @AfterEach
  void tearDown() {
    ch.finishAndReleaseAll();
    feed.close();
    scheduler.shutdownNow();
    ledger.close();
  }

  private JsonNode exchange(
      HttpMethod method, String uri, String contentType, byte[] body, int status) throws Exception {
    DefaultFullHttpRequest req =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.wrappedBuffer(body));
    if (contentType != null) {
      req.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    ch.writeInbound(req);
    ch.runPendingTasks();
    FullHttpResponse resp = ch.readOutbound();
    try {
      assertEquals(
          status, resp.status().code(), () -> resp.content().toString(StandardCharsets.UTF_8));
      assertTrue(ch.config().isAutoRead(), "reading resumes after the answer");
      return Json.MAPPER.readTree(resp.content().toString(StandardCharsets.UTF_8));
    } finally {
      resp.release();
    }
  }

  @Test
  void submitAndQuery_inMemory() throws Exception {
    SignedTransaction tx =
        SignedTransaction.sign(
            alice, NET, 0, new Call.Transfer(LedgerNodeServerErrorsTest.keys(2).id(), 3));
    String json = "{\"transaction\":\"" + Base64.getEncoder().encodeToString(tx.encode()) + "\"}";
    JsonNode receipt =
        exchange(HttpMethod.POST, "/v1/transactions", "application/json", json.getBytes(), 200);
    assertEquals(tx.hash().toHex(), receipt.path("txHash").asText());
    JsonNode nonce =
        exchange(
            HttpMethod.GET,
            "/v1/accounts/" + alice.id().address() + "/nonce",
            null,
            new byte[0],
            200);
    assertEquals(1, nonce.path("nonce").asLong());
    JsonNode again =
        exchange(HttpMethod.GET, "/v1/transactions/" + tx.hash().toHex(), null, new byte[0], 200);
    assertEquals(receipt, again);
  }

  @Test
  void errors_areJsonAndTheChannelStaysOpen() throws Exception {
    JsonNode bad =
        exchange(HttpMethod.POST, "/v1/transactions", "application/json", "[1,".getBytes(), 400);
    assertEquals("BAD_REQUEST", bad.path("error").asText());
    JsonNode none = exchange(HttpMethod.GET, "/v2/head", null, new byte[0], 404);
    assertEquals("NO_ROUTE", none.path("error").asText());
    JsonNode pct = exchange(HttpMethod.GET, "/v1/miners/%zz", null, new byte[0], 400);
    assertTrue(pct.path("message").asText().contains("%zz"), pct.toString());
    assertTrue(ch.isOpen());
  }

  @Test
  void oversizedRequest_gets413FromTheAggregator_andTheConnectionServesOn() {
    EmbeddedChannel c =
        new EmbeddedChannel(
            new HttpServerCodec(),
            new NodeInitializer.Aggregator(100),
            new NodeHandler(
                new NodeRoutes(ledger, new TxTracker(ledger, 10), feed, 60_000), Runnable::run));
    try {
      String big =
          "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
              + "Content-Length: 500\r\n\r\n"
              + "x".repeat(500);
      c.writeInbound(Unpooled.copiedBuffer(big, StandardCharsets.US_ASCII));
      String answer = drain(c);
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertTrue(answer.contains("TOO_LARGE"), answer);
      assertTrue(c.isOpen(), "a keep-alive connection stays open");
      c.writeInbound(
          Unpooled.copiedBuffer(
              "GET /v1/network HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
      c.runPendingTasks();
      String next = drain(c);
      assertTrue(next.startsWith("HTTP/1.1 200"), next);
      assertTrue(next.contains(NET), next);
    } finally {
      c.finishAndReleaseAll();
    }
  }

  private static String drain(EmbeddedChannel c) {
    StringBuilder b = new StringBuilder();
    for (Object o; (o = c.readOutbound()) != null; ) {
      ByteBuf buf = (ByteBuf) o;
      b.append(buf.toString(StandardCharsets.UTF_8));
      buf.release();
    }
    return b.toString();
  }

  @Test
  void pipelinedRequests_areAnsweredInOrder() throws Exception {
    long head = ledger.head().height();
    ch.writeInbound(
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/blocks?after=" + head + "&wait=30"));
    ch.writeInbound(
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/network"));
    ch.runPendingTasks();
    assertNull(ch.readOutbound(), "the second answer waits for the first");
    feed.close();
    ch.runPendingTasks();
    FullHttpResponse first = ch.readOutbound();
    FullHttpResponse second = ch.readOutbound();
    try {
      assertTrue(first.content().toString(StandardCharsets.UTF_8).contains("\"blocks\""));
      assertTrue(second.content().toString(StandardCharsets.UTF_8).contains(NET));
    } finally {
      first.release();
      second.release();
    }
    assertTrue(ch.config().isAutoRead());
  }

  @Test
  void noAnswerIsWrittenBeforeTheRouteCompletes() throws Exception {
    long head = ledger.head().height();
    ch.writeInbound(
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/blocks?after=" + head + "&wait=30"));
    ch.runPendingTasks();
    assertNull(ch.readOutbound(), "a long-poll with nothing new waits");
    assertFalse(ch.config().isAutoRead(), "no further request is read meanwhile");
    feed.close(); // releases the waiter with no blocks
    ch.runPendingTasks();
    FullHttpResponse resp = ch.readOutbound();
    try {
      assertEquals(200, resp.status().code());
      JsonNode body = Json.MAPPER.readTree(resp.content().toString(StandardCharsets.UTF_8));
      assertEquals(0, body.path("blocks").size());
    } finally {
      resp.release();
    }
    assertTrue(ch.config().isAutoRead());
  }
}
