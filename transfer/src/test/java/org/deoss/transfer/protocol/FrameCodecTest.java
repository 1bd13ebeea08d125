package org.deoss.transfer.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static final int MAX = 1 << 20;

  /** Encodes {@code f} through the encoder and returns the bytes on the wire. */
  static ByteBuf wire(Frame f) {
    EmbeddedChannel out = new EmbeddedChannel(FrameEncoder.INSTANCE);
    assertTrue(out.writeOutbound(f));
    ByteBuf all = Unpooled.buffer();
    ByteBuf part;
    while ((part = out.readOutbound()) != null) {
      all.writeBytes(part);
      part.release();
    }
    out.finishAndReleaseAll();
    return all;
  }

  @Test
  void everyType_roundTripsThroughEncoderAndDecoder() {
    SplittableRandom random = new SplittableRandom(11);
    for (FrameType type : FrameType.values()) {
      byte[] payload = new byte[random.nextInt(0, 3000)];
      random.nextBytes(payload);
      long id = random.nextLong();
      ByteBuf bytes = wire(Frame.of(type, id, Unpooled.wrappedBuffer(payload)));
      assertEquals(Frame.HEADER_LENGTH + payload.length, bytes.readableBytes(), type.toString());
      EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX));
      in.writeInbound(bytes);
      Frame f = in.readInbound();
      try {
        assertEquals(type, f.type());
        assertEquals(id, f.requestId());
        assertEquals(Frame.VERSION_1, f.version());
        assertArrayEquals(payload, ByteBufUtil.getBytes(f.payload()), type.toString());
      } finally {
        f.release();
      }
      assertFalse(in.finish());
    }
  }

  @Test
  void header_hasTheDocumentedLayout() {
    ByteBuf b =
        wire(Frame.of(FrameType.GET, 0x0102030405060708L, Unpooled.wrappedBuffer(new byte[] {9})));
    try {
      assertEquals(
          "444f5346" + "01" + "20" + "0000" + "0102030405060708" + "00000001" + "09",
          ByteBufUtil.hexDump(b));
    } finally {
      b.release();
    }
  }

  @Test
  void truncatedInput_waitsForTheRest() {
    byte[] payload = new byte[5000];
    ByteBuf bytes = wire(Frame.of(FrameType.DATA, 7, Unpooled.wrappedBuffer(payload)));
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX));
    int[] cuts = {3, Frame.HEADER_LENGTH - 3, 1000, 3000};
    for (int cut : cuts) {
      in.writeInbound(bytes.readRetainedSlice(cut));
      assertNull(in.readInbound(), "a frame came out after only part of it");
    }
    in.writeInbound(bytes.readRetainedSlice(bytes.readableBytes()));
    bytes.release();
    Frame f = in.readInbound();
    assertEquals(5000, f.payload().readableBytes());
    f.release();
    assertFalse(in.finish());
  }

  @Test
  void twoFramesInOneRead_bothComeOut() {
    ByteBuf a = wire(Frame.empty(FrameType.STATS, 1));
    ByteBuf b = wire(Frame.empty(FrameType.STATS, 2));
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX));
    in.writeInbound(Unpooled.wrappedBuffer(a, b));
    Frame f1 = in.readInbound();
    Frame f2 = in.readInbound();
    assertEquals(1, f1.requestId());
    assertEquals(2, f2.requestId());
    f1.release();
    f2.release();
    assertFalse(in.finish());
  }

  @Test
  void oversizedLength_isRejectedFromTheHeaderAlone() {
    ByteBuf header = Unpooled.buffer(Frame.HEADER_LENGTH);
    header
        .writeInt(Frame.MAGIC)
        .writeByte(1)
        .writeByte(FrameType.DATA.code())
        .writeShort(0)
        .writeLong(1)
        .writeInt(0x7FFF_FFFF);
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX));
    DecoderException e = assertThrows(DecoderException.class, () -> in.writeInbound(header));
    ProtocolException p = assertInstanceOf(ProtocolException.class, e.getCause());
    assertEquals(ErrorCode.FRAME_TOO_LARGE, p.code());
    assertTrue(p.getMessage().contains("2147483647"), p.getMessage());
    assertFalse(in.finish());
  }

  @Test
  void badMagic_isMalformed_andLaterBytesAreDiscarded() {
    ByteBuf junk =
        Unpooled.wrappedBuffer(
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX));
    DecoderException e = assertThrows(DecoderException.class, () -> in.writeInbound(junk));
    assertEquals(ErrorCode.MALFORMED_FRAME, ((ProtocolException) e.getCause()).code());
    in.writeInbound(wire(Frame.empty(FrameType.STATS, 1)));
    assertNull(in.readInbound(), "decoder kept decoding after losing the framing");
    assertFalse(in.finish());
  }

  @Test
  void unknownType_isRejected() {
    ByteBuf b = Unpooled.buffer();
    b.writeInt(Frame.MAGIC).writeByte(1).writeByte(0x55).writeShort(0).writeLong(1).writeInt(0);
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX));
    DecoderException e = assertThrows(DecoderException.class, () -> in.writeInbound(b));
    assertEquals(ErrorCode.UNKNOWN_TYPE, ((ProtocolException) e.getCause()).code());
    assertFalse(in.finish());
  }

  @Test
  void otherVersion_isRejectedExceptOnHello() {
    ByteBuf stats = Unpooled.buffer();
    stats
        .writeInt(Frame.MAGIC)
        .writeByte(2)
        .writeByte(FrameType.STATS.code())
        .writeShort(0)
        .writeLong(1)
        .writeInt(0);
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX));
    DecoderException e = assertThrows(DecoderException.class, () -> in.writeInbound(stats));
    assertEquals(ErrorCode.UNSUPPORTED_VERSION, ((ProtocolException) e.getCause()).code());
    assertFalse(in.finish());

    ByteBuf hello = Unpooled.buffer();
    hello
        .writeInt(Frame.MAGIC)
        .writeByte(9)
        .writeByte(FrameType.HELLO.code())
        .writeShort(0)
        .writeLong(0)
        .writeInt(0);
    EmbeddedChannel in2 = new EmbeddedChannel(new FrameDecoder(MAX));
    in2.writeInbound(hello);
    Frame f = in2.readInbound();
    assertEquals(9, f.version());
    f.release();
    assertFalse(in2.finish());
  }

  @Test
  void frameTrickledPastItsDeadline_raisesTimeout_butCompleteFramesDoNot() {
    EmbeddedChannel in = new EmbeddedChannel();
    in.freezeTime();
    in.pipeline().addLast(new FrameDecoder(MAX, 1000));
    ByteBuf slow = wire(Frame.of(FrameType.DATA, 3, Unpooled.wrappedBuffer(new byte[100])));
    ByteBuf fast = wire(Frame.of(FrameType.DATA, 4, Unpooled.wrappedBuffer(new byte[100])));
    in.writeInbound(fast.readRetainedSlice(50));
    in.advanceTimeBy(900, java.util.concurrent.TimeUnit.MILLISECONDS);
    in.writeInbound(fast);
    Frame done = in.readInbound();
    done.release();
    in.advanceTimeBy(900, java.util.concurrent.TimeUnit.MILLISECONDS);
    in.runScheduledPendingTasks();
    in.checkException();

    in.writeInbound(slow.readRetainedSlice(10));
    in.advanceTimeBy(600, java.util.concurrent.TimeUnit.MILLISECONDS);
    in.writeInbound(slow.readRetainedSlice(10));
    in.runScheduledPendingTasks();
    in.checkException();
    in.advanceTimeBy(500, java.util.concurrent.TimeUnit.MILLISECONDS);
    in.runScheduledPendingTasks();
    ProtocolException e = assertThrows(ProtocolException.class, in::checkException);
    assertEquals(ErrorCode.TIMEOUT, e.code());
    slow.release();
    in.finishAndReleaseAll();
  }
}
