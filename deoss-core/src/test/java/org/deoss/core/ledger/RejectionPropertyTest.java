package org.deoss.core.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deoss.core.account.AccountKeys;
import org.junit.jupiter.api.Test;

/**
 * Random calls, many of them invalid, from random signers: every refused transaction must leave the
 * state exactly as an empty block at the same time would.
 */
class RejectionPropertyTest {

  private static Call randomCall(Fixture f, SplittableRandom rnd, AccountKeys signer) {
    List<AccountKeys> people = List.of(f.alice, f.bob, f.carol);
    AccountKeys owner = rnd.nextInt(4) == 0 ? people.get(rnd.nextInt(3)) : signer;
    String bucket = List.of("b1x", "b2x", "B@d", "zz").get(rnd.nextInt(4));
    String key =
        List.of("k", "d/k", "d/", "/bad", "a//b", "x/../y", "d/e/f", "k2").get(rnd.nextInt(8));
    long amount =
        List.of(0L, 1L, 5L, Long.MAX_VALUE, 1_000_000L * Fixture.TOKEN).get(rnd.nextInt(5));
    return switch (rnd.nextInt(18)) {
      case 0 -> new Call.Transfer(people.get(rnd.nextInt(3)).id(), amount);
      case 1 -> new Call.Faucet();
      case 2 -> new Call.BuySpace(rnd.nextInt(3), rnd.nextInt(3));
      case 3 -> new Call.ExpandSpace(rnd.nextInt(3));
      case 4 -> new Call.RenewSpace(rnd.nextInt(3));
      case 5 -> new Call.Authorize(people.get(rnd.nextInt(3)).id());
      case 6 -> new Call.Deauthorize(people.get(rnd.nextInt(3)).id());
      case 7 -> new Call.CreateBucket(owner.id(), bucket);
      case 8 -> new Call.DeleteBucket(owner.id(), bucket);
      case 9, 10 -> {
        Call.PutObject p = f.put(owner, bucket, key, rnd.nextInt(3) * 1000);
        PutCondition c =
            switch (rnd.nextInt(3)) {
              case 0 -> PutCondition.none();
              case 1 -> PutCondition.ifAbsent();
              default -> PutCondition.ifVersion(1 + rnd.nextInt(40));
            };
        yield new Call.PutObject(
            p.owner(), p.bucket(), p.key(), p.manifest(), p.attributes(), p.access(), c);
      }
      case 11 ->
          new Call.RenameObject(owner.id(), bucket, key, "r/" + rnd.nextInt(3), rnd.nextBoolean());
      case 12 -> new Call.RenamePrefix(owner.id(), bucket, "d/", rnd.nextBoolean() ? "e/" : "d/e/");
      case 13 -> new Call.DeleteObject(owner.id(), bucket, key);
      case 16 ->
          new Call.MoveObject(
              owner.id(),
              bucket,
              key,
              List.of("b1x", "b2x", "zz").get(rnd.nextInt(3)),
              "m/" + rnd.nextInt(3),
              rnd.nextBoolean());
      case 17 ->
          new Call.MovePrefix(
              owner.id(), bucket, "d/", List.of("b1x", "b2x").get(rnd.nextInt(2)), "m/");
      case 14 -> new Call.SetAttributes(owner.id(), bucket, key, Fixture.attrs());
      default ->
          new Call.SetAccess(
              owner.id(),
              bucket,
              key,
              Access.of(Visibility.SHARED, Map.of(f.bob.id(), new byte[] {1}), null));
    };
  }

  @Test
  void rejectedTransactions_changeNothing() {
    long seed = 31337;
    Fixture f = new Fixture().standard();
    SplittableRandom rnd = new SplittableRandom(seed);
    List<AccountKeys> people = List.of(f.alice, f.bob, f.carol);
    int rejected = 0;
    for (int step = 0; step < 400; step++) {
      AccountKeys signer = people.get(rnd.nextInt(3));
      Call call = randomCall(f, rnd, signer);
      long nonce = f.state.nextNonce(signer.id()) + (rnd.nextInt(20) == 0 ? 1 : 0);
      SignedTransaction tx = Fixture.unsigned(signer.id(), nonce, call);
      f.advance(rnd.nextInt(3_600_000));
      byte[] before = f.state.snapshot();
      Object outcome = f.block(List.of(tx)).outcomes().get(0);
      if (outcome instanceof LedgerRejection) {
        rejected++;
        LedgerState twin = LedgerState.restore(f.genesis, before);
        twin.executeBlock(f.now, List.of());
        assertArrayEquals(
            twin.snapshot(), f.state.snapshot(), "seed " + seed + " step " + step + " " + call);
      }
    }
    assertTrue(rejected > 50 && rejected < 390, "seed " + seed + ": " + rejected + " rejections");
  }
}
