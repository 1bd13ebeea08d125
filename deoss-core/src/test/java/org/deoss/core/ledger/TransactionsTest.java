package org.deoss.core.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deoss.core.ledger.codec.CodecException;
import org.junit.jupiter.api.Test;

class TransactionsTest {
  private final Fixture f = new Fixture();

  private List<Call> everyCall() {
    var o = f.alice.id();
    PosixAttributes attrs =
        PosixAttributes.of(
            0120777,
            1000,
            100,
            -5,
            7,
            "../target",
            Map.of("user.a", new byte[] {1}, "user.b", new byte[0]));
    Access access =
        Access.of(Visibility.PUBLIC, Map.of(f.bob.id(), new byte[] {9, 9}), new byte[] {1, 2, 3});
    List<Call> calls =
        List.of(
            new Call.Transfer(f.bob.id(), 12345),
            new Call.Faucet(),
            new Call.BuySpace(10, 30),
            new Call.ExpandSpace(2),
            new Call.RenewSpace(7),
            new Call.Authorize(f.bob.id()),
            new Call.Deauthorize(f.bob.id()),
            new Call.AnnounceKey(new byte[32]),
            new Call.CreateBucket(o, "photos"),
            new Call.DeleteBucket(o, "photos"),
            new Call.PutObject(
                o, "photos", "a/b.txt", f.manifest(3000), attrs, access, PutCondition.ifVersion(5)),
            new Call.PutObject(
                o,
                "photos",
                "empty",
                f.manifest(0),
                Fixture.attrs(),
                Access.none(),
                PutCondition.ifAbsent()),
            new Call.RenameObject(o, "photos", "a", "b", true),
            new Call.RenamePrefix(o, "photos", "x/", "y/"),
            new Call.MoveObject(o, "photos", "a", "trash", "t/a", false),
            new Call.MovePrefix(o, "photos", "x/", "trash", "t/x/"),
            new Call.DeleteObject(o, "photos", "a"),
            new Call.SetAttributes(o, "photos", "a", attrs),
            new Call.SetAccess(o, "photos", "a", access),
            new Call.RegisterMiner("10.1.1.1:4000", 1L << 40, 4000, "eu-1"),
            new Call.UpdateMiner("10.1.1.1:4001", 2L << 40, 10, "eu-2"),
            new Call.Heartbeat(999),
            new Call.ExitMiner(),
            new Call.SubmitProof(17, new byte[] {4, 5, 6}),
            new Call.CompleteRepair(3, f.manifest(10).segments().get(0).fragments().get(2)),
            new Call.RepairSegment(List.of(4L, 9L), List.of(f.bob.id(), f.carol.id())));
    Set<Class<?>> types = new HashSet<>();
    calls.forEach(c -> types.add(c.getClass()));
    assertEquals(new HashSet<>(Call.TYPES), types, "every call type is covered");
    return calls;
  }

  @Test
  void everyCall_roundTripsThroughTheEncoding_deterministically() {
    long nonce = 0;
    for (Call c : everyCall()) {
      SignedTransaction tx = SignedTransaction.sign(f.alice, Fixture.NET, nonce++, c);
      byte[] bytes = tx.encode();
      SignedTransaction back = SignedTransaction.decode(bytes);
      assertEquals(tx, back, c.toString());
      assertArrayEquals(bytes, back.encode());
      assertEquals(tx.hash(), back.hash());
      assertTrue(back.verify(Fixture.NET));
    }
  }

  @Test
  void decode_refusesTrailingBytesBadTagsAndTruncation() {
    byte[] bytes = SignedTransaction.sign(f.alice, Fixture.NET, 0, new Call.Faucet()).encode();
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    CodecException e = assertThrows(CodecException.class, () -> SignedTransaction.decode(longer));
    assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    byte[] badTag = bytes.clone();
    badTag[33] = (byte) 200; // signer[32], nonce 0 (1 byte), then the tag
    e = assertThrows(CodecException.class, () -> SignedTransaction.decode(badTag));
    assertTrue(e.getMessage().contains("call tag"), e.getMessage());
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    e = assertThrows(CodecException.class, () -> SignedTransaction.decode(cut));
    assertTrue(e.getMessage().contains("tx.signature"), e.getMessage());
  }

  @Test
  void decode_namesTheMalformedField() {
    var w = new org.deoss.core.ledger.codec.ByteWriter();
    w.account(f.alice.id()).varint(0).u8(40).account(f.alice.id()).string("photos");
    w.string("k".repeat(5000));
    CodecException e =
        assertThrows(CodecException.class, () -> SignedTransaction.decode(w.toByteArray()));
    assertTrue(
        e.getMessage().contains("put.key") && e.getMessage().contains("limit"), e.getMessage());
    // A manifest whose size does not match its segments.
    Call put =
        new Call.PutObject(
            f.alice.id(),
            "photos",
            "k",
            f.manifest(100),
            Fixture.attrs(),
            Access.none(),
            PutCondition.none());
    byte[] good = SignedTransaction.sign(f.alice, Fixture.NET, 0, put).encode();
    int sizeOffset = 32 + 1 + 1 + 32 + 7 + 2 + 16; // signer, nonce, tag, owner, "photos", "k", id
    assertEquals(100, good[sizeOffset]);
    byte[] bad = good.clone();
    bad[sizeOffset] = 0;
    e = assertThrows(CodecException.class, () -> SignedTransaction.decode(bad));
    assertTrue(e.getMessage().contains("put.manifest"), e.getMessage());
  }

  @Test
  void decode_everyTruncationOfAPut_failsCleanly() {
    Call put =
        new Call.PutObject(
            f.alice.id(),
            "photos",
            "k",
            f.manifest(100),
            Fixture.attrs(),
            Access.none(),
            PutCondition.none());
    byte[] bytes = SignedTransaction.sign(f.alice, Fixture.NET, 0, put).encode();
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(bytes, n);
      assertThrows(
          IllegalArgumentException.class, () -> SignedTransaction.decode(cut), "length " + n);
    }
  }

  @Test
  void signature_isBoundToContentSignerNonceAndNetwork() {
    SignedTransaction tx =
        SignedTransaction.sign(f.alice, Fixture.NET, 3, new Call.Transfer(f.bob.id(), 1));
    assertTrue(tx.verify(Fixture.NET));
    assertFalse(tx.verify("other-net"));
    byte[] flipped = tx.signature();
    flipped[10] ^= 1;
    assertFalse(new SignedTransaction(tx.signer(), 3, tx.call(), flipped).verify(Fixture.NET));
    assertFalse(
        new SignedTransaction(tx.signer(), 4, tx.call(), tx.signature()).verify(Fixture.NET));
    assertFalse(
        new SignedTransaction(tx.signer(), 3, new Call.Transfer(f.bob.id(), 2), tx.signature())
            .verify(Fixture.NET));
    SignedTransaction bobs = SignedTransaction.sign(f.bob, Fixture.NET, 3, tx.call());
    assertFalse(
        new SignedTransaction(f.alice.id(), 3, tx.call(), bobs.signature()).verify(Fixture.NET));
  }

  @Test
  void nonce_replayAndGap_areRejected_andDoNotConsumeTheNonce() {
    f.ok(f.alice, new Call.Transfer(f.bob.id(), 1));
    SignedTransaction replay =
        SignedTransaction.sign(f.alice, Fixture.NET, 0, new Call.Transfer(f.bob.id(), 1));
    LedgerRejection r = f.rejectedTx(replay, LedgerRejection.Reason.BAD_NONCE);
    assertTrue(r.getMessage().contains("replay"), r.getMessage());
    SignedTransaction gap =
        SignedTransaction.sign(f.alice, Fixture.NET, 5, new Call.Transfer(f.bob.id(), 1));
    r = f.rejectedTx(gap, LedgerRejection.Reason.BAD_NONCE);
    assertTrue(r.getMessage().contains("gap"), r.getMessage());
    assertEquals(1, f.state.nextNonce(f.alice.id()));
  }

  @Test
  void requireSignature_rejectsForgeriesWithBadSignature() {
    SignedTransaction tx = SignedTransaction.sign(f.alice, Fixture.NET, 0, new Call.Faucet());
    f.state.requireSignature(tx);
    SignedTransaction otherNet = SignedTransaction.sign(f.alice, "mainnet", 0, new Call.Faucet());
    LedgerRejection r =
        assertThrows(LedgerRejection.class, () -> f.state.requireSignature(otherNet));
    assertEquals(LedgerRejection.Reason.BAD_SIGNATURE, r.reason());
    assertTrue(r.getMessage().contains(f.alice.id().address()));
  }

  @Test
  void txHashes_differ_andMerkleRootDependsOnOrder() {
    List<org.deoss.core.hash.Hash256> hashes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      hashes.add(SignedTransaction.sign(f.alice, Fixture.NET, i, new Call.Faucet()).hash());
    }
    assertEquals(5, new HashSet<>(hashes).size());
    var root = Block.merkleRoot(hashes);
    List<org.deoss.core.hash.Hash256> swapped = new ArrayList<>(hashes);
    java.util.Collections.swap(swapped, 0, 1);
    assertNotEquals(root, Block.merkleRoot(swapped));
    assertEquals(hashes.get(0), Block.merkleRoot(hashes.subList(0, 1)));
    assertEquals(org.deoss.core.hash.Hash256.ZERO, Block.merkleRoot(List.of()));
  }
}
