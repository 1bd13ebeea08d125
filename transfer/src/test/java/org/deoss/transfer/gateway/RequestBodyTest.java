package org.deoss.transfer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestBodyTest {
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final AtomicInteger continues = new AtomicInteger();
  private final RequestBody body = new RequestBody(channel, 1000, 100, continues::incrementAndGet);

  private static ByteBuf bytes(int n, int value) {
    ByteBuf b = Unpooled.buffer(n);
    for (int i = 0; i < n; i++) {
      b.writeByte(value);
    }
    return b;
  }

  @Test
  void offer_aboveHighWater_pausesReading_andDrainingResumesIt() throws IOException {
    body.offer(bytes(60, 1));
    assertTrue(channel.config().isAutoRead());
    body.offer(bytes(60, 2));
    assertFalse(channel.config().isAutoRead(), "120 bytes queued, high water 100");
    byte[] got = new byte[80];
    assertEquals(60, body.read(got, 0, 80));
    assertFalse(channel.config().isAutoRead(), "60 left, not below half the high water");
    assertEquals(20, body.read(got, 0, 20));
    assertTrue(channel.config().isAutoRead(), "40 left, below half the high water");
    assertEquals(1, continues.get(), "100 Continue sent on the first read");
    body.end();
    assertEquals(40, body.read(got, 0, 80));
    assertEquals(-1, body.read(got, 0, 80));
    assertEquals(1, continues.get());
  }

  @Test
  void offer_beyondTheLimit_failsTheReaderWith413_andReleasesEverything() {
    ByteBuf a = bytes(600, 1);
    ByteBuf b = bytes(600, 2);
    body.offer(a);
    body.offer(b);
    assertEquals(0, a.refCnt());
    assertEquals(0, b.refCnt());
    GatewayError e = assertThrows(GatewayError.class, () -> body.read(new byte[10], 0, 10));
    assertEquals(413, e.status().code());
  }

  @Test
  void abort_releasesQueued_andTheReaderSeesAnIOException() {
    ByteBuf a = bytes(10, 1);
    body.offer(a);
    body.abort(new IOException("the client closed the connection"));
    assertEquals(0, a.refCnt());
    IOException e = assertThrows(IOException.class, () -> body.read(new byte[10], 0, 10));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void close_releasesQueued_andLaterOffers() {
    ByteBuf a = bytes(10, 1);
    body.offer(a);
    body.close();
    ByteBuf b = bytes(10, 2);
    body.offer(b);
    assertEquals(0, a.refCnt());
    assertEquals(0, b.refCnt());
  }
}
