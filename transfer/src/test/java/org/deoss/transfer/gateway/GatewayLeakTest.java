package org.deoss.transfer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Runs the requests most likely to strand a buffer (bodies cut off, refused, oversized, pipelined,
 * downloads abandoned) and then makes Netty's leak detector, at PARANOID, look: a leaked buffer is
 * reported on standard error once it is collected, which this test watches.
 */
class GatewayLeakTest {
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void abusiveRequests_leakNoBuffer() throws Exception {
    assertEquals(
        ResourceLeakDetector.Level.PARANOID,
        ResourceLeakDetector.getLevel(),
        "run with -Dio.netty.leakDetection.level=paranoid (the build does)");
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      try (GatewayFixture f = new GatewayFixture(o -> o.withIdleTimeout(Duration.ofMillis(500)))) {
        String signed = GatewayServerTest.header(f.signed(f.alice));
        f.raw(
            ascii(
                "PUT /object/a HTTP/1.1\r\nHost: x\r\nBucket: photos\r\n"
                    + signed
                    + "Content-Length: 3000000\r\n\r\n"
                    + "x".repeat(200_000)),
            Duration.ofSeconds(5));
        f.raw(
            ascii(
                "PUT /object/b HTTP/1.1\r\nHost: x\r\nBucket: nobucket\r\n"
                    + GatewayServerTest.header(f.signed(f.alice))
                    + "Content-Length: 100000\r\n\r\n"
                    + "y".repeat(100_000)),
            Duration.ofSeconds(5));
        f.raw(
            ascii(
                "GET /version HTTP/1.1\r\nHost: x\r\n\r\nGET /version HTTP/1.1\r\n"
                    + "Content-Length: 10\r\n\r\n0123456789GET /nothing HTTP/1.1\r\n\r\n"),
            Duration.ofSeconds(2));
        f.raw(ascii("BROKEN\r\n\r\n" + "z".repeat(50_000)), Duration.ofSeconds(2));
        f.putRaw(f.alice, "big.bin", new byte[4 << 20]);
        try (Socket s = new Socket()) {
          s.connect(f.server.address());
          s.getOutputStream()
              .write(
                  ascii(
                      "GET /file/download/"
                          + f.alice.id().address()
                          + "/photos/big.bin HTTP/1.1\r\nHost: x\r\n"
                          + GatewayServerTest.header(f.signed(f.alice))
                          + "\r\n"));
          s.getInputStream().readNBytes(10_000);
        }
        f.send(f.request("/version").build());
      }
      // Leaks are reported when a tracked buffer is collected and the detector next tracks one.
      for (int i = 0; i < 5; i++) {
        System.gc();
        System.runFinalization();
        for (int j = 0; j < 200; j++) {
          ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
          b.release();
        }
      }
    } finally {
      System.setErr(original);
    }
    String err = captured.toString(StandardCharsets.UTF_8);
    assertFalse(err.contains("LEAK:"), err);
  }
}
