package org.deoss.transfer.miner.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.deoss.core.account.AccountKeys;
import org.deoss.transfer.protocol.ErrorCode;
import org.deoss.transfer.protocol.Frame;
import org.deoss.transfer.protocol.FrameType;
import org.deoss.transfer.protocol.HandshakeSignatures;
import org.deoss.transfer.protocol.Messages;
import org.junit.jupiter.api.Test;

class ServerHandshakeTest {

  /**
   * Asserts the next frame is a connection-level ERROR with {@code code} and the channel closed.
   */
  static void assertFatal(ServerHarness h, ErrorCode code) {
    Frame f = h.one();
    try {
      assertEquals(FrameType.ERROR, f.type());
      assertEquals(0, f.requestId());
      Messages.ErrorMessage m = Messages.ErrorMessage.decode(f.payload());
      assertEquals(code, m.code(), m.message());
    } finally {
      f.release();
    }
    assertFalse(h.channel.isOpen(), "connection left open after " + code);
  }

  @Test
  void handshake_withRightKeys_completes_andMinerSignatureVerifies() {
    try (ServerHarness h = new ServerHarness()) {
      Messages.HelloAck ack = h.hello();
      assertEquals(h.minerKeys.id(), ack.miner());
      assertTrue(
          h.minerKeys
              .id()
              .verify(
                  HandshakeSignatures.minerMessage(
                      h.clientNonce, h.clientKeys.id(), h.minerKeys.id()),
                  ack.signature()));
      h.auth(h.authSignature(h.clientKeys, ack, h.clientKeys.id()));
      Frame ok = h.one();
      assertEquals(FrameType.AUTH_OK, ok.type());
      ok.release();
      h.send(Frame.empty(FrameType.STATS, 5));
      Frame stats = h.one();
      assertEquals(FrameType.STATS_RESULT, stats.type());
      assertEquals(5, stats.requestId());
      stats.release();
    }
  }

  @Test
  void request_beforeHandshake_getsNotAuthenticated_andClose() {
    try (ServerHarness h = new ServerHarness()) {
      h.send(Frame.empty(FrameType.STATS, 1));
      assertFatal(h, ErrorCode.NOT_AUTHENTICATED);
    }
  }

  @Test
  void request_betweenHelloAndAuth_getsNotAuthenticated() {
    try (ServerHarness h = new ServerHarness()) {
      h.hello();
      h.send(
          Frame.of(
              FrameType.HAS,
              1,
              Messages.encodeId(h.channel.alloc(), org.deoss.core.hash.Hash256.ZERO)));
      assertFatal(h, ErrorCode.NOT_AUTHENTICATED);
    }
  }

  @Test
  void auth_signedWithAnotherKey_isRefused() {
    try (ServerHarness h = new ServerHarness()) {
      Messages.HelloAck ack = h.hello();
      AccountKeys impostor = AccountKeys.generate(ServerHarness.RANDOM);
      h.auth(h.authSignature(impostor, ack, h.clientKeys.id()));
      assertFatal(h, ErrorCode.AUTH_FAILED);
    }
  }

  @Test
  void auth_replayedFromAnEarlierSession_isRefused() {
    byte[] recorded;
    AccountKeys client;
    try (ServerHarness first = new ServerHarness()) {
      Messages.HelloAck ack = first.hello();
      recorded = first.authSignature(first.clientKeys, ack, first.clientKeys.id());
      first.auth(recorded);
      first.one().release();
      client = first.clientKeys;
    }
    try (ServerHarness second = new ServerHarness()) {
      // the attacker claims the same account but can only replay the old signature
      second.send(
          Frame.of(
              FrameType.HELLO,
              0,
              new Messages.Hello(1, 1, new byte[32], client.id()).encode(second.channel.alloc())));
      second.one().release();
      second.auth(recorded);
      assertFatal(second, ErrorCode.AUTH_FAILED);
    }
  }

  @Test
  void auth_reflectingTheMinersOwnSignature_isRefused() {
    try (ServerHarness h = new ServerHarness()) {
      Messages.HelloAck ack = h.hello();
      h.auth(ack.signature());
      assertFatal(h, ErrorCode.AUTH_FAILED);
    }
  }

  @Test
  void account_notAdmitted_isRefused() {
    try (ServerHarness h = new ServerHarness(account -> false, DeletionPolicy.ALWAYS)) {
      Messages.HelloAck ack = h.hello();
      h.auth(h.authSignature(h.clientKeys, ack, h.clientKeys.id()));
      assertFatal(h, ErrorCode.AUTH_FAILED);
    }
  }

  @Test
  void hello_withoutCommonVersion_isRefused() {
    try (ServerHarness h = new ServerHarness()) {
      h.send(
          Frame.of(
              FrameType.HELLO,
              0,
              new Messages.Hello(2, 3, new byte[32], h.clientKeys.id()).encode(h.channel.alloc())));
      assertFatal(h, ErrorCode.UNSUPPORTED_VERSION);
    }
  }

  @Test
  void handshake_notFinishedInTime_isClosed() {
    try (ServerHarness h = new ServerHarness()) {
      h.hello();
      h.channel.advanceTimeBy(9, TimeUnit.SECONDS);
      h.channel.runScheduledPendingTasks();
      assertTrue(h.channel.isOpen());
      h.channel.advanceTimeBy(2, TimeUnit.SECONDS);
      h.channel.runScheduledPendingTasks();
      assertFatal(h, ErrorCode.TIMEOUT);
    }
  }

  @Test
  void garbage_getsMalformed_andClose() {
    try (ServerHarness h = new ServerHarness()) {
      h.sendBytes(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
      assertFatal(h, ErrorCode.MALFORMED_FRAME);
    }
  }

  @Test
  void oversizedFrame_getsFrameTooLarge_andClose() {
    try (ServerHarness h = new ServerHarness()) {
      h.sendBytes(
          Unpooled.buffer()
              .writeInt(Frame.MAGIC)
              .writeByte(1)
              .writeByte(FrameType.HELLO.code())
              .writeShort(0)
              .writeLong(0)
              .writeInt(64 << 20));
      assertFatal(h, ErrorCode.FRAME_TOO_LARGE);
    }
  }
}
