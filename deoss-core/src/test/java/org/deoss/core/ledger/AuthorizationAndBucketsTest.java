package org.deoss.core.ledger;

import static org.deoss.core.ledger.LedgerRejection.Reason.ALREADY_AUTHORIZED;
import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_ARGUMENT;
import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_BUCKET_NAME;
import static org.deoss.core.ledger.LedgerRejection.Reason.BUCKET_EXISTS;
import static org.deoss.core.ledger.LedgerRejection.Reason.BUCKET_NOT_EMPTY;
import static org.deoss.core.ledger.LedgerRejection.Reason.NOT_AUTHORIZED;
import static org.deoss.core.ledger.LedgerRejection.Reason.NO_SUCH_AUTHORIZATION;
import static org.deoss.core.ledger.LedgerRejection.Reason.NO_SUCH_BUCKET;
import static org.deoss.core.ledger.LedgerRejection.Reason.TOO_MANY_AUTHORIZATIONS;
import static org.deoss.core.ledger.LedgerRejection.Reason.TOO_MANY_BUCKETS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthorizationAndBucketsTest {

  @Test
  void authorize_atMost20Operators() {
    Fixture f = new Fixture();
    for (int i = 0; i < 20; i++) {
      f.ok(f.alice, new Call.Authorize(Fixture.keys(1000 + i).id()));
    }
    assertEquals(20, f.state.authorizations(f.alice.id()).size());
    LedgerRejection r =
        f.rejected(f.alice, new Call.Authorize(Fixture.keys(2000).id()), TOO_MANY_AUTHORIZATIONS);
    assertTrue(r.getMessage().contains("20"), r.getMessage());
    f.ok(f.alice, new Call.Deauthorize(Fixture.keys(1000).id()));
    f.ok(f.alice, new Call.Authorize(Fixture.keys(2000).id()));
  }

  @Test
  void authorize_rejectsSelfDuplicatesAndUnknownDeauthorize() {
    Fixture f = new Fixture();
    f.rejected(f.alice, new Call.Authorize(f.alice.id()), BAD_ARGUMENT);
    f.ok(f.alice, new Call.Authorize(f.bob.id()));
    f.rejected(f.alice, new Call.Authorize(f.bob.id()), ALREADY_AUTHORIZED);
    f.rejected(f.alice, new Call.Deauthorize(f.carol.id()), NO_SUCH_AUTHORIZATION);
  }

  @Test
  void operator_mayMutateForOwner_untilDeauthorized() {
    Fixture f = new Fixture().standard();
    LedgerRejection r =
        f.rejected(f.bob, new Call.CreateBucket(f.alice.id(), "bobs-for-alice"), NOT_AUTHORIZED);
    assertTrue(r.getMessage().contains(f.bob.id().address()));
    assertTrue(r.getMessage().contains(f.alice.id().address()));
    f.rejected(f.bob, f.put(f.alice, "photos", "x", 1), NOT_AUTHORIZED);
    f.ok(f.alice, new Call.Authorize(f.bob.id()));
    f.ok(f.bob, new Call.CreateBucket(f.alice.id(), "bobs-for-alice"));
    f.ok(f.bob, f.put(f.alice, "photos", "x", 1));
    f.ok(f.bob, new Call.RenameObject(f.alice.id(), "photos", "x", "y", false));
    f.ok(f.alice, new Call.Deauthorize(f.bob.id()));
    f.rejected(f.bob, new Call.DeleteObject(f.alice.id(), "photos", "y"), NOT_AUTHORIZED);
    // Carol was never authorized for anything.
    f.rejected(f.carol, new Call.DeleteObject(f.alice.id(), "photos", "y"), NOT_AUTHORIZED);
    f.rejected(
        f.carol,
        new Call.SetAttributes(f.alice.id(), "photos", "y", Fixture.attrs()),
        NOT_AUTHORIZED);
  }

  @Test
  void buckets_createListDelete() {
    Fixture f = new Fixture();
    f.bucket(f.alice, "zeta");
    f.bucket(f.alice, "alpha");
    List<String> names = new ArrayList<>();
    f.state.buckets(f.alice.id()).forEach(b -> names.add(b.name()));
    assertEquals(List.of("alpha", "zeta"), names);
    f.rejected(f.alice, new Call.CreateBucket(f.alice.id(), "alpha"), BUCKET_EXISTS);
    f.ok(f.bob, new Call.CreateBucket(f.bob.id(), "alpha")); // names are per account
    f.ok(f.alice, new Call.DeleteBucket(f.alice.id(), "alpha"));
    f.rejected(f.alice, new Call.DeleteBucket(f.alice.id(), "alpha"), NO_SUCH_BUCKET);
    assertEquals(1, f.state.buckets(f.alice.id()).size());
  }

  @Test
  void deleteBucket_whenNotEmpty_isRejected() {
    Fixture f = new Fixture().standard();
    f.ok(f.alice, f.put(f.alice, "photos", "a", 1));
    f.rejected(f.alice, new Call.DeleteBucket(f.alice.id(), "photos"), BUCKET_NOT_EMPTY);
    f.ok(f.alice, new Call.DeleteObject(f.alice.id(), "photos", "a"));
    f.ok(f.alice, new Call.DeleteBucket(f.alice.id(), "photos"));
  }

  @Test
  void buckets_atMost1000PerAccount() {
    Fixture f = new Fixture();
    List<SignedTransaction> txs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      txs.add(
          Fixture.unsigned(
              f.alice.id(), i, new Call.CreateBucket(f.alice.id(), String.format("b-%04d", i))));
    }
    BlockResult res = f.block(txs);
    assertEquals(1000, res.block().txs().size());
    assertEquals(1000, f.state.buckets(f.alice.id()).size());
    LedgerRejection r =
        f.rejected(f.alice, new Call.CreateBucket(f.alice.id(), "one-more"), TOO_MANY_BUCKETS);
    assertTrue(r.getMessage().contains("1000"), r.getMessage());
  }

  @Test
  void createBucket_withBadName_isRejectedWithTheRule() {
    Fixture f = new Fixture();
    LedgerRejection r =
        f.rejected(f.alice, new Call.CreateBucket(f.alice.id(), "Bad_Name"), BAD_BUCKET_NAME);
    assertTrue(r.getMessage().contains("'B' at position 0"), r.getMessage());
    f.rejected(f.alice, new Call.CreateBucket(f.alice.id(), "10.0.0.1"), BAD_BUCKET_NAME);
    f.rejected(f.alice, new Call.CreateBucket(f.alice.id(), "ab"), BAD_BUCKET_NAME);
  }
}
