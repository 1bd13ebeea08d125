package org.deoss.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ListingTest {
  private static final int FILES = 100_000;
  private static final int SUBDIRS = 100;
  private static Fixture f;

  @BeforeAll
  static void fill() {
    f = new Fixture().standard();
    List<SignedTransaction> txs = new ArrayList<>();
    long nonce = f.state.nextNonce(f.alice.id());
    for (int i = 0; i < FILES; i++) {
      txs.add(
          Fixture.unsigned(
              f.alice.id(),
              nonce++,
              f.put(f.alice, "photos", String.format("big/file-%06d", i), 0)));
    }
    for (int i = 0; i < SUBDIRS; i++) {
      for (String leaf : List.of("a", "b/c", "d")) {
        txs.add(
            Fixture.unsigned(
                f.alice.id(),
                nonce++,
                f.put(f.alice, "photos", String.format("big/sub-%03d/%s", i, leaf), 0)));
      }
    }
    txs.add(Fixture.unsigned(f.alice.id(), nonce++, f.put(f.alice, "photos", "readme", 0)));
    txs.add(Fixture.unsigned(f.alice.id(), nonce, f.put(f.alice, "photos", "bigger", 0)));
    BlockResult r = f.block(txs);
    assertEquals(txs.size(), r.block().txs().size());
  }

  private static ListPage list(String prefix, String delim, String after, int limit) {
    return f.state.list(f.alice.id(), "photos", prefix, delim, after, limit);
  }

  @Test
  void list_withDelimiter_pagesOver100000KeysInOrderWithoutDuplicates() {
    List<String> seen = new ArrayList<>();
    int objects = 0;
    int prefixes = 0;
    String token = null;
    int pages = 0;
    do {
      ListPage p = list("big/", "/", token, 1000);
      assertTrue(p.objects().size() + p.commonPrefixes().size() <= 1000);
      p.objects().forEach(o -> seen.add(o.key()));
      seen.addAll(p.commonPrefixes());
      objects += p.objects().size();
      prefixes += p.commonPrefixes().size();
      token = p.next();
      pages++;
    } while (token != null);
    assertEquals(FILES, objects);
    assertEquals(SUBDIRS, prefixes);
    assertEquals(101, pages);
    List<String> sorted = new ArrayList<>(seen);
    java.util.Collections.sort(sorted);
    assertEquals(sorted, seen, "entries in key order");
    assertEquals(seen.size(), new java.util.HashSet<>(seen).size(), "no duplicates");
    assertTrue(seen.contains("big/sub-042/"));
  }

  @Test
  void list_atRoot_rollsUpFolders() {
    ListPage p = list("", "/", null, 10);
    assertEquals(List.of("big/"), p.commonPrefixes());
    assertEquals(List.of("bigger", "readme"), p.objects().stream().map(ObjectRecord::key).toList());
    assertNull(p.next());
  }

  @Test
  void list_startAfterACommonPrefix_skipsThatFolder() {
    ListPage p = list("big/", "/", "big/sub-000/", 2);
    assertEquals(List.of("big/sub-001/", "big/sub-002/"), p.commonPrefixes());
    assertEquals("big/sub-002/", p.next());
  }

  @Test
  void list_flat_includesNestedKeys() {
    ListPage p = list("big/sub-007/", "", null, 10);
    assertEquals(
        List.of("big/sub-007/a", "big/sub-007/b/c", "big/sub-007/d"),
        p.objects().stream().map(ObjectRecord::key).toList());
    assertTrue(p.commonPrefixes().isEmpty());
  }

  @Test
  void list_lastPageExact_hasNoToken() {
    ListPage p = list("big/sub-007/", "", null, 3);
    assertNull(p.next());
    ListPage q = list("big/sub-007/", "", null, 2);
    assertEquals("big/sub-007/b/c", q.next());
    ListPage r = list("big/sub-007/", "", q.next(), 2);
    assertEquals(List.of("big/sub-007/d"), r.objects().stream().map(ObjectRecord::key).toList());
    assertNull(r.next());
  }

  @Test
  void list_missingBucket_isNoSuchBucket() {
    LedgerRejection e =
        assertThrows(
            LedgerRejection.class, () -> f.state.list(f.alice.id(), "nope", "", "/", null, 10));
    assertEquals(LedgerRejection.Reason.NO_SUCH_BUCKET, e.reason());
  }
}
