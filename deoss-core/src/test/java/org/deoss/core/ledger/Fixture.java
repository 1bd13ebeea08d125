package org.deoss.core.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.Hash256;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.manifest.SegmentRef;

/** A ledger state at a fake clock with funded accounts and helpers to drive it. */
final class Fixture {
  static final String NET = "deoss-test";
  static final long T0 = 1_700_000_000_000L;
  static final long TOKEN = Genesis.TOKEN;
  static final int MINERS = 12;

  final AccountKeys alice = keys(1);
  final AccountKeys bob = keys(2);
  final AccountKeys carol = keys(3);
  final List<AccountKeys> miners = new ArrayList<>();
  final Genesis genesis;
  final SplittableRandom random = new SplittableRandom(42);
  LedgerState state;
  long now = T0;

  Fixture() {
    this(b -> {});
  }

  Fixture(Consumer<Genesis.Builder> tweak) {
    Genesis.Builder b =
        Genesis.builder(NET)
            .genesisTimeMillis(T0)
            .endow(alice.id(), 100_000 * TOKEN)
            .endow(bob.id(), 100_000 * TOKEN)
            .endow(carol.id(), 100_000 * TOKEN)
            .audits(0, 1, 4, 10, 3);
    for (int i = 0; i < MINERS; i++) {
      AccountKeys m = keys(100 + i);
      miners.add(m);
      b.endow(m.id(), 10_000 * TOKEN);
    }
    tweak.accept(b);
    genesis = b.build();
    state = LedgerState.genesis(genesis);
  }

  static AccountKeys keys(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    seed[1] = (byte) (n >> 8);
    seed[31] = 7;
    return AccountKeys.fromSeed(seed);
  }

  SignedTransaction sign(AccountKeys k, Call c) {
    return SignedTransaction.sign(k, NET, state.nextNonce(k.id()), c);
  }

  /** An unsigned transaction (zero signature): the state machine does not verify signatures. */
  static SignedTransaction unsigned(AccountId signer, long nonce, Call c) {
    return new SignedTransaction(signer, nonce, c, new byte[64]);
  }

  BlockResult block(List<SignedTransaction> txs) {
    return state.executeBlock(now, txs);
  }

  BlockResult tick() {
    return block(List.of());
  }

  void advance(long millis) {
    now += millis;
  }

  Receipt ok(AccountKeys k, Call c) {
    Object o = block(List.of(sign(k, c))).outcomes().get(0);
    if (o instanceof LedgerRejection r) {
      fail("expected " + c + " to be accepted, got " + r.getMessage(), r);
    }
    return (Receipt) o;
  }

  /**
   * Asserts that {@code c} by {@code k} is refused for {@code reason}, and that the state after the
   * block holding the refused transaction equals the state after an empty block at the same time.
   */
  LedgerRejection rejected(AccountKeys k, Call c, LedgerRejection.Reason reason) {
    return rejectedTx(sign(k, c), reason);
  }

  LedgerRejection rejectedTx(SignedTransaction tx, LedgerRejection.Reason reason) {
    byte[] before = state.snapshot();
    Object o = block(List.of(tx)).outcomes().get(0);
    LedgerRejection r = assertInstanceOf(LedgerRejection.class, o, "expected a rejection");
    assertEquals(reason, r.reason(), r.getMessage());
    LedgerState twin = LedgerState.restore(genesis, before);
    twin.executeBlock(now, List.of());
    assertArrayEquals(twin.snapshot(), state.snapshot(), "a rejected transaction changed state");
    return r;
  }

  void buySpace(AccountKeys k, long gib, long days) {
    ok(k, new Call.BuySpace(gib, days));
  }

  void bucket(AccountKeys k, String name) {
    ok(k, new Call.CreateBucket(k.id(), name));
  }

  void registerMiners() {
    for (AccountKeys m : miners) {
      ok(m, new Call.RegisterMiner("10.0.0.1:4000", 1L << 40, 4000 * TOKEN, "zone-a"));
    }
  }

  Hash256 randomHash() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Hash256.of(b);
  }

  ObjectId randomId() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return ObjectId.of(b);
  }

  /** A manifest of {@code size} bytes (at most 1 MiB: one segment) on the fixture's miners. */
  ObjectManifest manifest(long size) {
    return manifest(randomId(), size);
  }

  ObjectManifest manifest(ObjectId id, long size) {
    if (size == 0) {
      return new ObjectManifest(id, 0, 1 << 20, 4, 8, 65536, ObjectManifest.EMPTY_FID, List.of());
    }
    int enc = (int) size + 16;
    int fragLen = (enc + 3) / 4;
    List<FragmentRef> frags = new ArrayList<>();
    for (int i = 0; i < MINERS; i++) {
      frags.add(new FragmentRef(i, randomHash(), fragLen, miners.get(i).id()));
    }
    SegmentRef seg = new SegmentRef(0, (int) size, enc, randomHash(), frags);
    return new ObjectManifest(id, size, 1 << 20, 4, 8, 65536, randomHash(), List.of(seg));
  }

  static PosixAttributes attrs() {
    return PosixAttributes.of(0100644, 1000, 1000, 5, 6, "", Map.of());
  }

  Call.PutObject put(AccountKeys owner, String bucket, String key, ObjectManifest m) {
    return new Call.PutObject(
        owner.id(), bucket, key, m, attrs(), Access.none(), PutCondition.none());
  }

  Call.PutObject put(AccountKeys owner, String bucket, String key, long size) {
    return put(owner, bucket, key, manifest(size));
  }

  /** Alice with 10 GiB for 30 days, bucket "photos", and 12 registered miners. */
  Fixture standard() {
    registerMiners();
    buySpace(alice, 10, 30);
    bucket(alice, "photos");
    return this;
  }
}
