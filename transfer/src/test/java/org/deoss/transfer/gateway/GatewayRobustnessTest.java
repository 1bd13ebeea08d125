package org.deoss.transfer.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** Bad input and bad clients: the gateway answers clearly and keeps serving. */
class GatewayRobustnessTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void assertStillServes(GatewayFixture f) throws Exception {
    HttpResponse<String> r = f.send(f.request("/version").build());
    assertEquals(200, r.statusCode());
  }

  @Test
  void malformedRequest_is400_andCloses() throws Exception {
    try (GatewayFixture f = new GatewayFixture()) {
      String a = f.raw(ascii("this is not http\r\n\r\n"), WAIT);
      assertTrue(a.startsWith("HTTP/1.1 400"), a);
      assertTrue(a.contains("malformed HTTP request"), a);
      String b = f.raw(ascii("GET /version HTTP/1.1\r\nContent-Length: x\r\n\r\n"), WAIT);
      assertTrue(b.startsWith("HTTP/1.1 400"), b);
      assertStillServes(f);
    }
  }

  @Test
  void oversizedHeaders_are431() throws Exception {
    try (GatewayFixture f = new GatewayFixture()) {
      String a =
          f.raw(
              ascii(
                  "GET /version HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n"),
              WAIT);
      assertTrue(a.startsWith("HTTP/1.1 431"), a);
      String b = f.raw(ascii("GET /" + "v".repeat(20_000) + " HTTP/1.1\r\n\r\n"), WAIT);
      assertTrue(b.startsWith("HTTP/1.1 414"), b);
      assertStillServes(f);
    }
  }

  @Test
  void bodyOnASmallRoute_over64KiB_is413BeforeReading() throws Exception {
    try (GatewayFixture f = new GatewayFixture()) {
      String a =
          f.raw(
              ascii("PUT /bucket/abc HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"), WAIT);
      assertTrue(a.startsWith("HTTP/1.1 413"), a);
    }
  }

  @Test
  void chunkedUploadBeyondTheLimit_is413() throws Exception {
    try (GatewayFixture f = new GatewayFixture(o -> o.withMaxObjectBytes(100_000))) {
      StringBuilder req =
          new StringBuilder(
              "PUT /object/c.bin HTTP/1.1\r\nHost: x\r\nBucket: photos\r\n"
                  + GatewayServerTest.header(f.signed(f.alice))
                  + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
      String chunk = "x".repeat(50_000);
      for (int i = 0; i < 3; i++) {
        req.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
      }
      req.append("0\r\n\r\n");
      String a = f.raw(ascii(req.toString()), WAIT);
      assertTrue(a.startsWith("HTTP/1.1 413"), a);
      assertTrue(a.contains("limit of 100000"), a);
      assertStillServes(f);
    }
  }

  @Test
  void keepAlive_andPipelinedRequests_areAnsweredInOrder() throws Exception {
    try (GatewayFixture f = new GatewayFixture()) {
      String two =
          "GET /version HTTP/1.1\r\nHost: x\r\n\r\n"
              + "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"
              + "GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      String a = f.raw(ascii(two), WAIT);
      int first = a.indexOf("HTTP/1.1 200");
      int second = a.indexOf("HTTP/1.1 404");
      int third = a.indexOf("HTTP/1.1 200", second);
      assertTrue(first == 0 && second > first && third > second, a);
      assertTrue(!a.contains("<timeout>"), "the last answer closes the connection: " + a);
    }
  }

  @Test
  void idleClient_isDisconnected() throws Exception {
    try (GatewayFixture f = new GatewayFixture(o -> o.withIdleTimeout(Duration.ofMillis(300)))) {
      String a = f.raw(ascii("GET /version HTTP/1.1\r\nHost: x\r\n"), WAIT);
      assertEquals("", a, "closed without an answer, before the 10 s read timeout");
      String b =
          f.raw(
              ascii(
                  "PUT /object/k HTTP/1.1\r\nHost: x\r\nBucket: photos\r\n"
                      + GatewayServerTest.header(f.signed(f.alice))
                      + "Content-Length: 1000\r\n\r\nonly-a-little"),
              WAIT);
      assertTrue(!b.contains("<timeout>"), b);
      assertStillServes(f);
    }
  }

  @Test
  void clientThatVanishesMidUpload_orMidDownload_leavesTheGatewayServing() throws Exception {
    try (GatewayFixture f = new GatewayFixture()) {
      try (Socket s = new Socket()) {
        s.connect(f.server.address());
        OutputStream out = s.getOutputStream();
        out.write(
            ascii(
                "PUT /object/cut.bin HTTP/1.1\r\nHost: x\r\nBucket: photos\r\n"
                    + GatewayServerTest.header(f.signed(f.alice))
                    + "Content-Length: 10000000\r\n\r\n"));
        out.write(new byte[3_000_000]);
        out.flush();
      }
      byte[] d = new byte[5 << 20];
      new java.util.SplittableRandom(7).nextBytes(d);
      assertEquals(200, f.putRaw(f.alice, "whole.bin", d).statusCode());
      try (Socket s = new Socket()) {
        s.connect(f.server.address());
        s.getOutputStream()
            .write(
                ascii(
                    "GET /file/download/"
                        + f.alice.id().address()
                        + "/photos/whole.bin HTTP/1.1\r\nHost: x\r\n"
                        + GatewayServerTest.header(f.signed(f.alice))
                        + "\r\n"));
        InputStream in = s.getInputStream();
        in.readNBytes(100_000);
      }
      assertStillServes(f);
      assertTrue(f.ledger.object(f.alice.id(), "photos", "cut.bin").isEmpty(), "nothing stored");
      HttpResponse<byte[]> again =
          f.sendBytes(
              f.signedRequest(
                      "/file/download/" + f.alice.id().address() + "/photos/whole.bin", f.alice)
                  .build());
      assertArrayEquals(d, again.body());
    }
  }

  @Test
  void clientThatStopsReadingADownload_isDisconnected() throws Exception {
    try (GatewayFixture f = new GatewayFixture(o -> o.withIdleTimeout(Duration.ofSeconds(1)))) {
      int size = 16 << 20;
      assertEquals(200, f.putRaw(f.alice, "stall.bin", new byte[size]).statusCode());
      try (Socket s = new Socket()) {
        s.setReceiveBufferSize(16 << 10);
        s.connect(f.server.address());
        s.getOutputStream()
            .write(
                ascii(
                    "GET /file/download/"
                        + f.alice.id().address()
                        + "/photos/stall.bin HTTP/1.1\r\nHost: x\r\n"
                        + GatewayServerTest.header(f.signed(f.alice))
                        + "\r\n"));
        Thread.sleep(4000); // reads nothing: the gateway gives up after 1 s
        s.setSoTimeout(10_000);
        long got = 0;
        try {
          got = s.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (java.net.SocketException reset) {
          // closed by the gateway while data was unread: as good as an end
        }
        assertTrue(got < size, "the connection ended before the whole object: " + got);
      }
      assertStillServes(f);
    }
  }

  @Test
  void close_endsOpenConnections_andAFreedPortCanBeBoundAgain() throws Exception {
    GatewayFixture f = new GatewayFixture();
    try (Socket idle = new Socket()) {
      idle.connect(f.server.address());
      idle.setSoTimeout(10_000);
      java.net.InetSocketAddress bound = f.server.address();
      f.close();
      int read;
      try {
        read = idle.getInputStream().read();
      } catch (java.net.SocketException reset) {
        read = -1; // a reset ends the connection as well as a FIN
      }
      assertEquals(-1, read, "the open connection was closed");
      try (java.net.ServerSocket again = new java.net.ServerSocket()) {
        again.setReuseAddress(true);
        again.bind(bound);
      }
    }
  }

  @Test
  void start_onATakenPort_fails() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, null)) {
      java.net.InetSocketAddress at =
          new java.net.InetSocketAddress("127.0.0.1", taken.getLocalPort());
      Exception e =
          org.junit.jupiter.api.Assertions.assertThrows(
              Exception.class,
              () ->
                  new GatewayFixture(
                      o ->
                          new GatewayOptions(
                              at,
                              o.tls(),
                              o.maxObjectBytes(),
                              o.maxHeaderBytes(),
                              o.idleTimeout(),
                              o.messageWindow(),
                              o.replayCapacity(),
                              o.uploadSlots(),
                              o.ioThreads(),
                              o.workerThreads())));
      assertTrue(
          e instanceof java.net.BindException || e.getCause() instanceof java.net.BindException,
          e.toString());
    }
  }

  @Test
  void options_nameTheBadValue() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> GatewayOptions.defaults(new java.net.InetSocketAddress(0)).withMaxObjectBytes(0));
    assertTrue(e.getMessage().contains("maxObjectBytes"), e.getMessage());
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                GatewayOptions.defaults(new java.net.InetSocketAddress(0))
                    .withIdleTimeout(Duration.ZERO));
    assertTrue(e.getMessage().contains("idleTimeout"), e.getMessage());
  }

  @Test
  void https_withSelfSignedCertificate_serves() throws Exception {
    GatewayTls tls = GatewayTls.selfSigned("127.0.0.1", new SecureRandom());
    try (GatewayFixture f = new GatewayFixture(o -> o.withTls(tls))) {
      assertTrue(f.server.uri().toString().startsWith("https://"));
      SSLContext trustAll = SSLContext.getInstance("TLS");
      trustAll.init(
          null,
          new TrustManager[] {
            new X509TrustManager() {
              @Override
              public void checkClientTrusted(X509Certificate[] c, String a) {}

              @Override
              public void checkServerTrusted(X509Certificate[] c, String a) {}

              @Override
              public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
              }
            }
          },
          new SecureRandom());
      HttpClient client =
          HttpClient.newBuilder().sslContext(trustAll).version(HttpClient.Version.HTTP_1_1).build();
      byte[] d = new byte[300_000];
      new java.util.SplittableRandom(3).nextBytes(d);
      HttpResponse<String> put =
          client.send(
              f.signedRequest("/object/tls.bin", f.alice)
                  .header("Bucket", "photos")
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(d))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, put.statusCode(), put.body());
      HttpResponse<byte[]> get =
          client.send(
              f.signedRequest(
                      "/file/download/" + f.alice.id().address() + "/photos/tls.bin", f.alice)
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertArrayEquals(d, get.body());
    }
  }
}
