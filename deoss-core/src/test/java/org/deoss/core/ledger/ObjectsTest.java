package org.deoss.core.ledger;

import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_KEY;
import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_MANIFEST;
import static org.deoss.core.ledger.LedgerRejection.Reason.NOT_AUTHORIZED;
import static org.deoss.core.ledger.LedgerRejection.Reason.NO_SUCH_BUCKET;
import static org.deoss.core.ledger.LedgerRejection.Reason.NO_SUCH_MINER;
import static org.deoss.core.ledger.LedgerRejection.Reason.NO_SUCH_OBJECT;
import static org.deoss.core.ledger.LedgerRejection.Reason.OBJECT_EXISTS;
import static org.deoss.core.ledger.LedgerRejection.Reason.OBJECT_ID_IN_USE;
import static org.deoss.core.ledger.LedgerRejection.Reason.VERSION_CONFLICT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deoss.core.hash.Hash256;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.manifest.SegmentRef;
import org.junit.jupiter.api.Test;

class ObjectsTest {

  private static ObjectRecord get(Fixture f, String key) {
    return f.state.object(f.alice.id(), "photos", key).orElseThrow();
  }

  @Test
  void put_createsVersions_keepsCreationTime() {
    Fixture f = new Fixture().standard();
    Receipt r1 = f.ok(f.alice, f.put(f.alice, "photos", "a.jpg", 10));
    long created = f.now;
    f.advance(5000);
    ObjectManifest m = f.manifest(get(f, "a.jpg").manifest().objectId(), 20);
    Receipt r2 = f.ok(f.alice, f.put(f.alice, "photos", "a.jpg", m));
    assertTrue(r2.objectVersion() > r1.objectVersion());
    ObjectRecord o = get(f, "a.jpg");
    assertEquals(r2.objectVersion(), o.version());
    assertEquals(20, o.size());
    assertEquals(created, o.createdMillis());
    assertEquals(f.now, o.modifiedMillis());
    assertEquals(20, f.state.account(f.alice.id()).space().usedBytes());
  }

  @Test
  void put_ifAbsent_refusesExisting() {
    Fixture f = new Fixture().standard();
    Call.PutObject p = f.put(f.alice, "photos", "x", 1);
    Call.PutObject excl =
        new Call.PutObject(
            p.owner(),
            p.bucket(),
            p.key(),
            p.manifest(),
            p.attributes(),
            p.access(),
            PutCondition.ifAbsent());
    f.ok(f.alice, excl);
    Call.PutObject again =
        new Call.PutObject(
            p.owner(),
            p.bucket(),
            p.key(),
            f.manifest(2),
            p.attributes(),
            p.access(),
            PutCondition.ifAbsent());
    f.rejected(f.alice, again, OBJECT_EXISTS);
  }

  @Test
  void put_ifVersion_isCompareAndSet() {
    Fixture f = new Fixture().standard();
    long v1 = f.ok(f.alice, f.put(f.alice, "photos", "x", 1)).objectVersion();
    var id = get(f, "x").manifest().objectId();
    Call.PutObject cas =
        new Call.PutObject(
            f.alice.id(),
            "photos",
            "x",
            f.manifest(id, 2),
            Fixture.attrs(),
            Access.none(),
            PutCondition.ifVersion(v1));
    long v2 = f.ok(f.alice, cas).objectVersion();
    Call.PutObject stale =
        new Call.PutObject(
            f.alice.id(),
            "photos",
            "x",
            f.manifest(id, 3),
            Fixture.attrs(),
            Access.none(),
            PutCondition.ifVersion(v1));
    LedgerRejection r = f.rejected(f.alice, stale, VERSION_CONFLICT);
    assertTrue(r.getMessage().contains("version " + v2), r.getMessage());
    Call.PutObject absent =
        new Call.PutObject(
            f.alice.id(),
            "photos",
            "nope",
            f.manifest(3),
            Fixture.attrs(),
            Access.none(),
            PutCondition.ifVersion(v1));
    f.rejected(f.alice, absent, VERSION_CONFLICT);
  }

  @Test
  void put_badKeysBucketsMinersAndIds_areRejected() {
    Fixture f = new Fixture().standard();
    f.rejected(f.alice, f.put(f.alice, "photos", "/abs", 1), BAD_KEY);
    f.rejected(f.alice, f.put(f.alice, "photos", "a/../b", 1), BAD_KEY);
    f.rejected(f.alice, f.put(f.alice, "photos", "x".repeat(1025), 1), BAD_KEY);
    f.rejected(f.alice, f.put(f.alice, "nobucket", "a", 1), NO_SUCH_BUCKET);
    ObjectManifest m = f.manifest(5);
    SegmentRef s = m.segments().get(0);
    List<FragmentRef> frags = new ArrayList<>(s.fragments());
    FragmentRef f0 = frags.get(0);
    frags.set(0, new FragmentRef(0, f0.hash(), f0.length(), Fixture.keys(999).id()));
    ObjectManifest stranger =
        new ObjectManifest(
            m.objectId(),
            5,
            m.segmentSize(),
            4,
            8,
            m.chunkSize(),
            m.fid(),
            List.of(new SegmentRef(0, 5, s.encryptedLength(), s.hash(), frags)));
    f.rejected(f.alice, f.put(f.alice, "photos", "a", stranger), NO_SUCH_MINER);
    ObjectManifest zeroChunk =
        new ObjectManifest(m.objectId(), 5, m.segmentSize(), 4, 8, 0, m.fid(), m.segments());
    f.rejected(f.alice, f.put(f.alice, "photos", "a", zeroChunk), BAD_MANIFEST);
    f.ok(f.alice, f.put(f.alice, "photos", "a", m));
    f.rejected(
        f.alice, f.put(f.alice, "photos", "b", f.manifest(m.objectId(), 5)), OBJECT_ID_IN_USE);
  }

  @Test
  void delete_freesSpaceAndFragments() {
    Fixture f = new Fixture().standard();
    f.ok(f.alice, f.put(f.alice, "photos", "a", 100));
    Hash256 frag = get(f, "a").manifest().segments().get(0).fragments().get(3).hash();
    assertTrue(f.state.isReferenced(frag));
    f.ok(f.alice, new Call.DeleteObject(f.alice.id(), "photos", "a"));
    assertFalse(f.state.isReferenced(frag));
    assertEquals(0, f.state.account(f.alice.id()).space().usedBytes());
    f.rejected(f.alice, new Call.DeleteObject(f.alice.id(), "photos", "a"), NO_SUCH_OBJECT);
  }

  @Test
  void isReferenced_countsEveryVersionUsingTheFragment() {
    Fixture f = new Fixture().standard();
    ObjectManifest a = f.manifest(100);
    // A second object sharing segment 0 (same fragments) under another id.
    ObjectManifest b =
        new ObjectManifest(
            f.randomId(), 100, a.segmentSize(), 4, 8, a.chunkSize(), a.fid(), a.segments());
    f.ok(f.alice, f.put(f.alice, "photos", "a", a));
    f.ok(f.alice, f.put(f.alice, "photos", "b", b));
    Hash256 shared = a.segments().get(0).fragments().get(0).hash();
    f.ok(f.alice, new Call.DeleteObject(f.alice.id(), "photos", "a"));
    assertTrue(f.state.isReferenced(shared));
    // Overwriting b with new content drops the last reference.
    f.ok(f.alice, f.put(f.alice, "photos", "b", f.manifest(b.objectId(), 50)));
    assertFalse(f.state.isReferenced(shared));
  }

  @Test
  void rename_movesKey_keepsVersion_respectsOverwrite() {
    Fixture f = new Fixture().standard();
    long v = f.ok(f.alice, f.put(f.alice, "photos", "a", 5)).objectVersion();
    f.ok(f.alice, f.put(f.alice, "photos", "b", 7));
    f.rejected(
        f.alice, new Call.RenameObject(f.alice.id(), "photos", "a", "b", false), OBJECT_EXISTS);
    f.rejected(
        f.alice, new Call.RenameObject(f.alice.id(), "photos", "zz", "c", false), NO_SUCH_OBJECT);
    f.rejected(f.alice, new Call.RenameObject(f.alice.id(), "photos", "a", "c//d", false), BAD_KEY);
    f.ok(f.alice, new Call.RenameObject(f.alice.id(), "photos", "a", "b", true));
    assertTrue(f.state.object(f.alice.id(), "photos", "a").isEmpty());
    assertEquals(v, get(f, "b").version());
    assertEquals(5, f.state.account(f.alice.id()).space().usedBytes());
    // The moved object keeps its id: a new version of "b" with that id is fine.
    f.ok(f.alice, f.put(f.alice, "photos", "b", f.manifest(get(f, "b").manifest().objectId(), 9)));
  }

  @Test
  void renamePrefix_moves1000KeysInOneStep() {
    Fixture f = new Fixture().standard();
    List<SignedTransaction> txs = new ArrayList<>();
    long nonce = f.state.nextNonce(f.alice.id());
    for (int i = 0; i < 1000; i++) {
      txs.add(Fixture.unsigned(f.alice.id(), nonce++, f.put(f.alice, "photos", "dir/f" + i, 1)));
    }
    txs.add(Fixture.unsigned(f.alice.id(), nonce++, f.put(f.alice, "photos", "dir2/keep", 1)));
    txs.add(Fixture.unsigned(f.alice.id(), nonce++, f.put(f.alice, "photos", "new/f7", 1)));
    f.block(txs);
    // One target exists: nothing moves.
    LedgerRejection r =
        f.rejected(
            f.alice, new Call.RenamePrefix(f.alice.id(), "photos", "dir/", "new/"), OBJECT_EXISTS);
    assertTrue(r.getMessage().contains("new/f7"), r.getMessage());
    f.ok(f.alice, new Call.DeleteObject(f.alice.id(), "photos", "new/f7"));
    f.ok(f.alice, new Call.RenamePrefix(f.alice.id(), "photos", "dir/", "new/"));
    ListPage all = f.state.list(f.alice.id(), "photos", "", "", null, 5000);
    assertEquals(1001, all.objects().size());
    assertEquals(
        1000, f.state.list(f.alice.id(), "photos", "new/", "", null, 5000).objects().size());
    assertTrue(f.state.list(f.alice.id(), "photos", "dir/", "", null, 10).objects().isEmpty());
    assertTrue(f.state.object(f.alice.id(), "photos", "dir2/keep").isPresent());
    // The moved objects are still addressable by their ids (a new version keeps working).
    ObjectRecord moved = get(f, "new/f5");
    f.ok(f.alice, f.put(f.alice, "photos", "new/f5", f.manifest(moved.manifest().objectId(), 2)));
  }

  @Test
  void renamePrefix_refusesBadPrefixesAndEmptySources() {
    Fixture f = new Fixture().standard();
    f.ok(f.alice, f.put(f.alice, "photos", "a/x", 1));
    f.rejected(f.alice, new Call.RenamePrefix(f.alice.id(), "photos", "a", "b"), BAD_KEY);
    f.rejected(f.alice, new Call.RenamePrefix(f.alice.id(), "photos", "a/", "a/b/"), BAD_KEY);
    f.rejected(f.alice, new Call.RenamePrefix(f.alice.id(), "photos", "q/", "r/"), NO_SUCH_OBJECT);
  }

  @Test
  void moveObject_toAnotherBucket_keepsVersionAndSpace() {
    Fixture f = new Fixture().standard();
    f.bucket(f.alice, "trash");
    long v = f.ok(f.alice, f.put(f.alice, "photos", "a", 5)).objectVersion();
    f.ok(f.alice, f.put(f.alice, "trash", "t/a", 7));
    f.rejected(
        f.alice,
        new Call.MoveObject(f.alice.id(), "photos", "a", "trash", "t/a", false),
        OBJECT_EXISTS);
    f.rejected(
        f.alice,
        new Call.MoveObject(f.alice.id(), "photos", "a", "nope", "a", false),
        NO_SUCH_BUCKET);
    f.rejected(
        f.bob,
        new Call.MoveObject(f.alice.id(), "photos", "a", "trash", "b", false),
        NOT_AUTHORIZED);
    f.ok(f.alice, new Call.MoveObject(f.alice.id(), "photos", "a", "trash", "t/a", true));
    assertTrue(f.state.object(f.alice.id(), "photos", "a").isEmpty());
    ObjectRecord moved = f.state.object(f.alice.id(), "trash", "t/a").orElseThrow();
    assertEquals(v, moved.version());
    assertEquals("trash", moved.bucket());
    assertEquals(5, f.state.account(f.alice.id()).space().usedBytes());
    // Still addressable by its id: a new version in its new place is accepted.
    f.ok(f.alice, f.put(f.alice, "trash", "t/a", f.manifest(moved.manifest().objectId(), 9)));
    // And back again.
    f.ok(f.alice, new Call.MoveObject(f.alice.id(), "trash", "t/a", "photos", "a", false));
    assertEquals(9, get(f, "a").size());
  }

  @Test
  void movePrefix_toAnotherBucket_movesEverythingOrNothing() {
    Fixture f = new Fixture().standard();
    f.bucket(f.alice, "trash");
    f.ok(f.alice, f.put(f.alice, "photos", "d/x", 1));
    f.ok(f.alice, f.put(f.alice, "photos", "d/e/y", 2));
    f.ok(f.alice, f.put(f.alice, "photos", "keep", 3));
    f.ok(f.alice, f.put(f.alice, "trash", "files/d/e/y", 4));
    f.rejected(
        f.alice,
        new Call.MovePrefix(f.alice.id(), "photos", "d/", "trash", "files/d/"),
        OBJECT_EXISTS);
    assertTrue(f.state.object(f.alice.id(), "photos", "d/x").isPresent(), "nothing moved");
    f.ok(f.alice, new Call.DeleteObject(f.alice.id(), "trash", "files/d/e/y"));
    // Across buckets a prefix may contain the other: the keys live in different maps.
    f.ok(f.alice, new Call.MovePrefix(f.alice.id(), "photos", "d/", "trash", "d/e/"));
    assertTrue(f.state.list(f.alice.id(), "photos", "d/", "", null, 10).objects().isEmpty());
    assertEquals(
        List.of("d/e/e/y", "d/e/x"),
        f.state.list(f.alice.id(), "trash", "", "", null, 10).objects().stream()
            .map(ObjectRecord::key)
            .toList());
    assertTrue(f.state.object(f.alice.id(), "photos", "keep").isPresent());
  }

  @Test
  void setAttributesAndAccess_keepVersion() {
    Fixture f = new Fixture().standard();
    long v = f.ok(f.alice, f.put(f.alice, "photos", "a", 5)).objectVersion();
    PosixAttributes attrs =
        PosixAttributes.of(0100600, 1, 2, 3, 4, "", Map.of("user.color", new byte[] {1, 2}));
    f.ok(f.alice, new Call.SetAttributes(f.alice.id(), "photos", "a", attrs));
    Access shared =
        Access.of(
            Visibility.SHARED,
            Map.of(f.alice.id(), new byte[] {1}, f.bob.id(), new byte[] {2}),
            null);
    f.ok(f.alice, new Call.SetAccess(f.alice.id(), "photos", "a", shared));
    ObjectRecord o = get(f, "a");
    assertEquals(v, o.version());
    assertEquals(attrs, o.attributes());
    assertEquals(shared, o.access());
    f.rejected(
        f.alice, new Call.SetAttributes(f.alice.id(), "photos", "missing", attrs), NO_SUCH_OBJECT);
  }

  @Test
  void attributesAndAccess_validateTheirLimits() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> PosixAttributes.of(0, 0, 0, 0, 0, "", Map.of("trusted.x", new byte[1])));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> PosixAttributes.of(0, 0, 0, 0, 0, "", Map.of("user.big", new byte[16 * 1024])));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> Access.of(Visibility.PUBLIC, Map.of(), null));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> Access.of(Visibility.PRIVATE, Map.of(), new byte[] {1}));
  }
}
