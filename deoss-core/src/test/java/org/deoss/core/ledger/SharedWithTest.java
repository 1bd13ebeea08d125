package org.deoss.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deoss.core.account.AccountId;
import org.junit.jupiter.api.Test;

class SharedWithTest {
  private static final byte[] WRAPPED = {1, 2, 3};
  private static final byte[] OPERATOR = {Access.OPERATOR_MARK, 2, 3};

  private static Access readers(AccountId... ids) {
    Map<AccountId, byte[]> m = new LinkedHashMap<>();
    for (AccountId id : ids) {
      m.put(id, WRAPPED);
    }
    return Access.of(ids.length > 1 ? Visibility.SHARED : Visibility.PRIVATE, m, null);
  }

  private static Call.PutObject put(Fixture f, String key, Access access) {
    return new Call.PutObject(
        f.alice.id(), "photos", key, f.manifest(10), Fixture.attrs(), access, PutCondition.none());
  }

  private static List<String> keys(ListPage p) {
    List<String> out = new ArrayList<>();
    p.objects().forEach(o -> out.add(o.bucket() + "/" + o.key()));
    return out;
  }

  @Test
  void sharedWith_listsObjectsWrappedForTheGrantee_notForTheOwnerOrOperators() {
    Fixture f = new Fixture().standard();
    f.ok(f.alice, put(f, "a", readers(f.alice.id(), f.bob.id())));
    f.ok(f.alice, put(f, "b", readers(f.alice.id())));
    f.ok(
        f.alice,
        put(
            f,
            "c",
            Access.of(
                Visibility.PRIVATE, Map.of(f.alice.id(), WRAPPED, f.carol.id(), OPERATOR), null)));
    assertEquals(List.of("photos/a"), keys(f.state.sharedWith(f.bob.id(), null, 10)));
    assertTrue(f.state.sharedWith(f.carol.id(), null, 10).objects().isEmpty(), "operator");
    assertTrue(f.state.sharedWith(f.alice.id(), null, 10).objects().isEmpty(), "owner");
  }

  @Test
  void sharedWith_followsSetAccessRenameDeleteAndNewVersions() {
    Fixture f = new Fixture().standard();
    f.ok(f.alice, put(f, "a", readers(f.alice.id())));
    f.ok(
        f.alice,
        new Call.SetAccess(f.alice.id(), "photos", "a", readers(f.alice.id(), f.bob.id())));
    assertEquals(List.of("photos/a"), keys(f.state.sharedWith(f.bob.id(), null, 10)));
    f.ok(f.alice, new Call.RenameObject(f.alice.id(), "photos", "a", "dir/a", false));
    assertEquals(List.of("photos/dir/a"), keys(f.state.sharedWith(f.bob.id(), null, 10)));
    f.ok(f.alice, new Call.RenamePrefix(f.alice.id(), "photos", "dir/", "d2/"));
    assertEquals(List.of("photos/d2/a"), keys(f.state.sharedWith(f.bob.id(), null, 10)));
    f.ok(f.alice, put(f, "d2/a", readers(f.alice.id())));
    assertTrue(f.state.sharedWith(f.bob.id(), null, 10).objects().isEmpty(), "new version");
    f.ok(f.alice, put(f, "d2/a", readers(f.alice.id(), f.bob.id())));
    f.ok(f.alice, new Call.DeleteObject(f.alice.id(), "photos", "d2/a"));
    assertTrue(f.state.sharedWith(f.bob.id(), null, 10).objects().isEmpty(), "deleted");
  }

  @Test
  void sharedWith_pagesInOrder_andIsRebuiltOnRestore() {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    Fixture f = new Fixture().standard();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      String key = String.format("k%02d", i);
      boolean shared = random.nextBoolean();
      f.ok(
          f.alice, put(f, key, shared ? readers(f.alice.id(), f.bob.id()) : readers(f.alice.id())));
      if (shared) {
        expected.add("photos/" + key);
      }
    }
    int limit = 1 + random.nextInt(5);
    for (LedgerState s : List.of(f.state, LedgerState.restore(f.genesis, f.state.snapshot()))) {
      List<String> got = new ArrayList<>();
      String next = null;
      do {
        ListPage p = s.sharedWith(f.bob.id(), next, limit);
        assertTrue(p.objects().size() <= limit, "seed " + seed);
        got.addAll(keys(p));
        next = p.next();
      } while (next != null);
      assertEquals(expected, got, "seed " + seed + ", limit " + limit);
    }
  }

  @Test
  void sharedWith_refusesABadTokenOrLimit() {
    Fixture f = new Fixture().standard();
    assertThrows(IllegalArgumentException.class, () -> f.state.sharedWith(f.bob.id(), null, 0));
    assertThrows(
        IllegalArgumentException.class, () -> f.state.sharedWith(f.bob.id(), "no-slashes", 1));
    assertNull(f.state.sharedWith(f.bob.id(), null, 1).next());
  }
}
