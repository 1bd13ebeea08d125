package org.deoss.core.ledger.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ByteCodecTest {

  @Test
  void varint_roundTripsBoundariesAndRandomValues() {
    long seed = 11;
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] fixed = {0, 1, 127, 128, 16383, 16384, Integer.MAX_VALUE, Long.MAX_VALUE};
    for (int i = 0; i < 2000; i++) {
      long v = i < fixed.length ? fixed[i] : rnd.nextLong() >>> (1 + rnd.nextInt(63));
      byte[] b = new ByteWriter().varint(v).toByteArray();
      ByteReader r = new ByteReader(b);
      assertEquals(v, r.varint("v"), "seed " + seed + " value " + v);
      r.expectEnd("v");
    }
  }

  @Test
  void varint_sizes() {
    assertEquals(1, new ByteWriter().varint(127).size());
    assertEquals(2, new ByteWriter().varint(128).size());
    assertEquals(9, new ByteWriter().varint(Long.MAX_VALUE).size());
  }

  @Test
  void varint_whenNotMinimal_isRejectedNamingTheField() {
    CodecException e =
        assertThrows(
            CodecException.class,
            () -> new ByteReader(new byte[] {(byte) 0x81, 0}).varint("nonce"));
    assertTrue(e.getMessage().contains("nonce"), e.getMessage());
    assertTrue(e.getMessage().contains("not minimal"), e.getMessage());
  }

  @Test
  void varint_whenLongerThan63Bits_isRejected() {
    byte[] b = new byte[10];
    java.util.Arrays.fill(b, (byte) 0xFF);
    b[9] = 0x01;
    assertThrows(CodecException.class, () -> new ByteReader(b).varint("amount"));
    byte[] eleven = new byte[11];
    java.util.Arrays.fill(eleven, (byte) 0x80);
    assertThrows(CodecException.class, () -> new ByteReader(eleven).varint("amount"));
  }

  @Test
  void varint_whenTruncated_isRejected() {
    CodecException e =
        assertThrows(
            CodecException.class, () -> new ByteReader(new byte[] {(byte) 0x80}).varint("height"));
    assertTrue(e.getMessage().contains("height"));
  }

  @Test
  void varint_outsideRange_isRejected() {
    byte[] b = new ByteWriter().varint(300).toByteArray();
    CodecException e =
        assertThrows(CodecException.class, () -> new ByteReader(b).varint("x", 0, 255));
    assertTrue(e.getMessage().contains("300"), e.getMessage());
  }

  @Test
  void writer_refusesNegativeVarint() {
    assertThrows(IllegalArgumentException.class, () -> new ByteWriter().varint(-1));
  }

  @Test
  void bytes_overTheLimit_isRejectedBeforeReading() {
    byte[] b = new ByteWriter().bytes(new byte[100]).toByteArray();
    CodecException e =
        assertThrows(CodecException.class, () -> new ByteReader(b).bytes("proof", 99));
    assertTrue(
        e.getMessage().contains("proof") && e.getMessage().contains("limit"), e.getMessage());
  }

  @Test
  void bytes_whenLengthExceedsInput_isRejected() {
    byte[] b = new ByteWriter().varint(50).raw(new byte[10]).toByteArray();
    assertThrows(CodecException.class, () -> new ByteReader(b).bytes("data", 1000));
  }

  @Test
  void string_roundTripsUtf8() {
    String s = "ünïcödé/日本/😀";
    byte[] b = new ByteWriter().string(s).fixed64(-5).bool(true).toByteArray();
    ByteReader r = new ByteReader(b);
    assertEquals(s, r.string("s", 100));
    assertEquals(-5, r.fixed64("f"));
    assertTrue(r.bool("b"));
    r.expectEnd("all");
  }

  @Test
  void string_withInvalidUtf8_isRejected() {
    byte[] b = new ByteWriter().bytes(new byte[] {(byte) 0xC3, 0x28}).toByteArray();
    CodecException e =
        assertThrows(CodecException.class, () -> new ByteReader(b).string("key", 10));
    assertTrue(e.getMessage().contains("UTF-8"));
  }

  @Test
  void bool_otherThanZeroOrOne_isRejected() {
    assertThrows(CodecException.class, () -> new ByteReader(new byte[] {2}).bool("overwrite"));
  }

  @Test
  void expectEnd_withTrailingBytes_isRejected() {
    ByteReader r = new ByteReader(new byte[] {1, 2});
    r.u8("a");
    CodecException e = assertThrows(CodecException.class, () -> r.expectEnd("block"));
    assertTrue(e.getMessage().contains("1 trailing"), e.getMessage());
  }

  @Test
  void writer_isDeterministic() {
    byte[] a = new ByteWriter(1).varint(123456).string("x").fixed64(9).toByteArray();
    byte[] b = new ByteWriter(1000).varint(123456).string("x").fixed64(9).toByteArray();
    assertArrayEquals(a, b);
  }
}
