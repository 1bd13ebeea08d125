package org.deoss.transfer.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Function;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.junit.jupiter.api.Test;

class MessagesTest {
  private static final ByteBufAllocator A = ByteBufAllocator.DEFAULT;
  private static final Hash256 ID = Hash256.digest(new byte[] {1, 2, 3});
  private final AccountKeys keys = AccountKeys.fromSeed(new byte[32]);

  private static <T> T roundTrip(ByteBuf b, Function<ByteBuf, T> decode) {
    try {
      return decode.apply(b);
    } finally {
      b.release();
    }
  }

  @Test
  void hello_roundTrips() {
    byte[] nonce = new byte[32];
    nonce[5] = 9;
    Messages.Hello h =
        roundTrip(new Messages.Hello(1, 3, nonce, keys.id()).encode(A), Messages.Hello::decode);
    assertEquals(1, h.minVersion());
    assertEquals(3, h.maxVersion());
    assertArrayEquals(nonce, h.nonce());
    assertEquals(keys.id(), h.client());
  }

  @Test
  void helloAck_roundTrips() {
    byte[] sig = new byte[64];
    sig[63] = 4;
    Messages.HelloAck a =
        roundTrip(
            new Messages.HelloAck(1, new byte[32], keys.id(), sig, 1 << 20, 64L << 20).encode(A),
            Messages.HelloAck::decode);
    assertArrayEquals(sig, a.signature());
    assertEquals(1 << 20, a.maxPayload());
    assertEquals(64L << 20, a.putWindow());
  }

  @Test
  void requests_roundTrip() {
    assertEquals(
        new Messages.PutBegin(ID, 123456789L),
        roundTrip(new Messages.PutBegin(ID, 123456789L).encode(A), Messages.PutBegin::decode));
    assertEquals(
        new Messages.GetRequest(ID, 5, Messages.GetRequest.TO_END),
        roundTrip(
            new Messages.GetRequest(ID, 5, Messages.GetRequest.TO_END).encode(A),
            Messages.GetRequest::decode));
    assertEquals(
        new Messages.ProveRequest(ID, new int[] {0, 7, 99}),
        roundTrip(
            new Messages.ProveRequest(ID, new int[] {0, 7, 99}).encode(A),
            Messages.ProveRequest::decode));
    assertEquals(ID, roundTrip(Messages.encodeId(A, ID), b -> Messages.decodeId(b, "HAS")));
    assertEquals(
        true, roundTrip(Messages.encodeBoolean(A, true), b -> Messages.decodeBoolean(b, "X")));
    assertEquals(
        new Messages.StatsResult(1, 2, 3),
        roundTrip(new Messages.StatsResult(1, 2, 3).encode(A), Messages.StatsResult::decode));
    assertArrayEquals(
        new byte[64], roundTrip(Messages.encodeAuth(A, new byte[64]), Messages::decodeAuth));
  }

  @Test
  void error_roundTrips_andLongMessagesAreCut() {
    Messages.ErrorMessage e =
        roundTrip(
            new Messages.ErrorMessage(ErrorCode.HASH_MISMATCH, "é".repeat(2000)).encode(A),
            Messages.ErrorMessage::decode);
    assertEquals(ErrorCode.HASH_MISMATCH, e.code());
    assertTrue(e.message().length() <= Messages.MAX_ERROR_MESSAGE);
  }

  @Test
  void proofs_roundTrip() {
    byte[] data = new byte[5000];
    new SecureRandom().nextBytes(data);
    List<FragmentMerkle.Proof> proofs =
        List.of(
            FragmentMerkle.prove(data, 0, data.length, 0),
            FragmentMerkle.prove(data, 0, data.length, 4));
    assertEquals(proofs, roundTrip(Messages.encodeProofs(A, proofs), Messages::decodeProofs));
  }

  @Test
  void shortOrLongPayloads_areMalformed_namingTheFrame() {
    ProtocolException e =
        assertThrows(
            ProtocolException.class,
            () -> Messages.PutBegin.decode(Unpooled.wrappedBuffer(new byte[39])));
    assertEquals(ErrorCode.MALFORMED_FRAME, e.code());
    assertTrue(e.getMessage().contains("PUT_BEGIN"), e.getMessage());
    assertThrows(
        ProtocolException.class,
        () -> Messages.decodeId(Unpooled.wrappedBuffer(new byte[33]), "HAS"));
    assertThrows(
        ProtocolException.class,
        () -> Messages.decodeBoolean(Unpooled.wrappedBuffer(new byte[] {2}), "HAS"));
    ByteBuf negative = Unpooled.buffer().writeBytes(ID.toBytes()).writeLong(-1);
    assertThrows(ProtocolException.class, () -> Messages.PutBegin.decode(negative));
    ByteBuf tooMany =
        Unpooled.buffer().writeBytes(ID.toBytes()).writeShort(Messages.MAX_PROVE_LEAVES + 1);
    assertThrows(ProtocolException.class, () -> Messages.ProveRequest.decode(tooMany));
    ByteBuf badProof = Unpooled.buffer().writeShort(1).writeShort(3).writeBytes(new byte[3]);
    assertThrows(ProtocolException.class, () -> Messages.decodeProofs(badProof));
  }

  @Test
  void errorCodes_mapOneToOneToStoreReasons() {
    for (org.deoss.core.port.FragmentStoreException.Reason r :
        org.deoss.core.port.FragmentStoreException.Reason.values()) {
      ErrorCode c = ErrorCode.of(r);
      assertEquals(r, c.reason());
      assertEquals(c, ErrorCode.ofCode(c.code()));
    }
  }
}
