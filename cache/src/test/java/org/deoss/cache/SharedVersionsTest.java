package org.deoss.cache;

import static org.deoss.cache.StoreFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.SplittableRandom;
import org.deoss.core.access.AccessPolicy;
import org.deoss.core.access.ObjectKeys;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.EncryptionKeys;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.crypto.X25519KeyPair;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.port.TxBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mount's write path keeps each object's readers across versions, and rotates on revoke. */
class SharedVersionsTest {
  private static final long SEED = 6;
  private static final PosixAttributes FILE = PosixAttributes.file(0100644, 1);

  @TempDir Path dir;
  private final StoreFixture fx = new StoreFixture();
  private final FakeScheduler scheduler = new FakeScheduler();
  private final AccountKeys friend = StoreFixture.keys(50);
  private final X25519KeyPair friendX = EncryptionKeys.derive(friend);
  private final SplittableRandom random = new SplittableRandom(SEED);

  @AfterEach
  void stop() {
    fx.close();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private DataKey keyOf(ObjectRecord r, AccountKeys who, X25519KeyPair x) {
    return ObjectKeys.open(r.access(), r.manifest().objectId(), who.id(), x);
  }

  private void setGrants(String key, java.util.function.UnaryOperator<AccessPolicy.Grants> f) {
    ObjectRecord r = fx.record(key);
    AccessPolicy policy = fx.store.policy();
    Access a =
        policy.change(
            r.access(),
            f.apply(policy.grantsOf(r.access())),
            keyOf(r, fx.alice, fx.encryption),
            r.manifest().objectId());
    fx.store.tx().submitAndWait(new Call.SetAccess(fx.alice.id(), StoreFixture.BUCKET, key, a));
  }

  private void patch(WriteBackCache c, String key, long at, byte[] data) throws IOException {
    try (FileHandle h = c.open(fx.path(key), EnumSet.noneOf(OpenFlag.class), FILE)) {
      h.write(at, ByteBuffer.wrap(data));
      h.fsync();
    }
  }

  @Test
  void rewrite_keepsTheGrantees_thenAfterARevoke_writesAnewUnderANewKey() throws IOException {
    new TxBuilder(fx.ledger, friend).announceKeyIfMissing();
    WriteBackCache c = fx.open(StoreFixture.config(dir), scheduler, Runnable::run);
    byte[] content = bytes(3 * MIB);
    try (FileHandle h =
        c.open(fx.path("doc"), EnumSet.of(OpenFlag.CREATE, OpenFlag.TRUNCATE), FILE)) {
      h.write(0, ByteBuffer.wrap(content));
      h.fsync();
    }
    setGrants("doc", g -> g.with(friend.id()));
    ObjectRecord shared = fx.record("doc");
    DataKey friendsKey = keyOf(shared, friend, friendX);

    byte[] p1 = bytes(100);
    patch(c, "doc", MIB + 10, p1);
    System.arraycopy(p1, 0, content, MIB + 10, 100);
    ObjectRecord v2 = fx.record("doc");
    assertArrayEquals(friendsKey.bytes(), keyOf(v2, friend, friendX).bytes(), "still shared");
    assertEquals(shared.manifest().segments().get(0), v2.manifest().segments().get(0), "kept");

    setGrants("doc", g -> g.without(friend.id()));
    byte[] p2 = bytes(100);
    patch(c, "doc", 10, p2);
    System.arraycopy(p2, 0, content, 10, 100);
    ObjectRecord v3 = fx.record("doc");
    assertNull(v3.access().wrappedKey(friend.id()));
    assertFalse(
        Arrays.equals(friendsKey.bytes(), keyOf(v3, fx.alice, fx.encryption).bytes()),
        "the revoked account's old key does not open the next version");
    assertNotEquals(v2.manifest().segments().get(2), v3.manifest().segments().get(2), "anew");
    assertFalse(fx.store.policy().keyMustChange(v3.access()));
    assertArrayEquals(content, fx.committed("doc"));
  }

  @Test
  void truncatingOverwrite_keepsTheGrantees() throws IOException {
    new TxBuilder(fx.ledger, friend).announceKeyIfMissing();
    WriteBackCache c = fx.open(StoreFixture.config(dir), scheduler, Runnable::run);
    for (int round = 0; round < 2; round++) {
      try (FileHandle h =
          c.open(fx.path("note"), EnumSet.of(OpenFlag.CREATE, OpenFlag.TRUNCATE), FILE)) {
        h.write(0, ByteBuffer.wrap(bytes(5000)));
        h.fsync();
      }
      if (round == 0) {
        setGrants("note", g -> g.with(friend.id()));
      }
    }
    ObjectRecord r = fx.record("note");
    assertEquals(Access.Role.READER, r.access().role(friend.id()));
    keyOf(r, friend, friendX);
  }
}
