package org.deoss.core.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Map;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.EncryptionKeys;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.crypto.X25519KeyPair;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.Visibility;
import org.deoss.core.manifest.ObjectId;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {
  private final SecureRandom random = new SecureRandom();
  private final AccountKeys owner = AccountKeys.generate(random);
  private final AccountKeys friend = AccountKeys.generate(random);
  private final X25519KeyPair ownerX = EncryptionKeys.derive(owner);
  private final X25519KeyPair friendX = EncryptionKeys.derive(friend);
  private final DataKey key = DataKey.generate(random);
  private final ObjectId id = ObjectId.random(random);

  @Test
  void privateAccess_opensForTheOwnerOnly() {
    Access a = ObjectKeys.privateAccess(owner.id(), ownerX.publicKey(), key, id, random);
    assertEquals(Visibility.PRIVATE, a.visibility());
    assertArrayEquals(key.bytes(), ObjectKeys.open(a, id, owner.id(), ownerX).bytes());
    NotAReaderException e =
        assertThrows(NotAReaderException.class, () -> ObjectKeys.open(a, id, friend.id(), friendX));
    assertTrue(e.getMessage().contains(friend.id().address()), e.getMessage());
  }

  @Test
  void sharedAccess_opensForEveryReader() {
    Access a =
        ObjectKeys.sharedAccess(
            Map.of(owner.id(), ownerX.publicKey(), friend.id(), friendX.publicKey()),
            key,
            id,
            random);
    assertEquals(Visibility.SHARED, a.visibility());
    assertArrayEquals(key.bytes(), ObjectKeys.open(a, id, friend.id(), friendX).bytes());
    assertArrayEquals(key.bytes(), ObjectKeys.open(a, id, owner.id(), ownerX).bytes());
  }

  @Test
  void open_wrappedKeyCopiedToAnotherObject_doesNotOpen() {
    Access a = ObjectKeys.privateAccess(owner.id(), ownerX.publicKey(), key, id, random);
    ObjectId other = ObjectId.random(random);
    assertThrows(NotAReaderException.class, () -> ObjectKeys.open(a, other, owner.id(), ownerX));
  }

  @Test
  void open_withSomeoneElsesKeys_failsClearly() {
    Access a = ObjectKeys.privateAccess(owner.id(), ownerX.publicKey(), key, id, random);
    NotAReaderException e =
        assertThrows(NotAReaderException.class, () -> ObjectKeys.open(a, id, owner.id(), friendX));
    assertTrue(e.getMessage().contains("does not open"), e.getMessage());
  }

  @Test
  void publicAccess_opensForAnyone() {
    Access a = ObjectKeys.publicAccess(key);
    assertArrayEquals(key.bytes(), ObjectKeys.open(a, id, friend.id(), friendX).bytes());
  }
}
