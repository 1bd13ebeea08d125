package org.deoss.core.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.EncryptionKeys;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.crypto.X25519KeyPair;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.Visibility;
import org.deoss.core.manifest.ObjectId;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
  private final SecureRandom random = new SecureRandom();
  private final AccountKeys owner = AccountKeys.generate(random);
  private final AccountKeys friend = AccountKeys.generate(random);
  private final AccountKeys gateway = AccountKeys.generate(random);
  private final AccountKeys silent = AccountKeys.generate(random);
  private final Map<AccountId, byte[]> announced = new HashMap<>();
  private final List<AccountId> operators = new ArrayList<>();
  private final KeyDirectory directory =
      new KeyDirectory() {
        @Override
        public Optional<byte[]> encryptionKey(AccountId account) {
          return Optional.ofNullable(announced.get(account));
        }

        @Override
        public List<AccountId> authorizations(AccountId o) {
          return o.equals(owner.id()) ? List.copyOf(operators) : List.of();
        }
      };
  private final AccessPolicy policy =
      new AccessPolicy(owner.id(), x(owner).publicKey(), directory, random);
  private final ObjectId id = ObjectId.random(random);

  AccessPolicyTest() {
    announced.put(friend.id(), x(friend).publicKey());
    announced.put(gateway.id(), x(gateway).publicKey());
  }

  private static X25519KeyPair x(AccountKeys k) {
    return EncryptionKeys.derive(k);
  }

  private boolean opens(Access a, AccountKeys reader, DataKey key) {
    try {
      return java.util.Arrays.equals(
          key.bytes(), ObjectKeys.open(a, id, reader.id(), x(reader)).bytes());
    } catch (NotAReaderException e) {
      return false;
    }
  }

  @Test
  void newVersion_ofANewObject_isPrivate_andOpensForTheOwnerAndOperatorsOnly() {
    operators.add(gateway.id());
    DataKey key = DataKey.generate(random);
    Access a = policy.newVersion(null, key, id);
    assertEquals(Visibility.PRIVATE, a.visibility());
    assertTrue(opens(a, owner, key));
    assertTrue(opens(a, gateway, key), "an authorized operator reads");
    assertFalse(opens(a, friend, key));
    assertEquals(Access.Role.OPERATOR, a.role(gateway.id()));
    assertEquals(Access.Role.READER, a.role(owner.id()));
    assertTrue(policy.grantsOf(a).grantees().isEmpty(), "an operator is no grantee");
  }

  @Test
  void newVersion_keepsThePreviousGrants_withAFreshWrapForTheNewKey() {
    DataKey k1 = DataKey.generate(random);
    Access v1 =
        policy.change(
            policy.newVersion(null, k1, id),
            policy.grantsOf(Access.none()).with(friend.id()),
            k1,
            id);
    assertEquals(Visibility.SHARED, v1.visibility());
    assertTrue(opens(v1, friend, k1));
    DataKey k2 = DataKey.generate(random);
    Access v2 = policy.newVersion(v1, k2, id);
    assertEquals(Visibility.SHARED, v2.visibility());
    assertEquals(Set.of(friend.id()), policy.grantsOf(v2).grantees());
    assertTrue(opens(v2, friend, k2));
    assertTrue(opens(v2, owner, k2));
    assertFalse(policy.keyMustChange(v1), "adding a reader does not retire the key");
  }

  @Test
  void revoke_retiresTheKey_andTheNextVersionDoesNotOpenForTheRevoked() {
    DataKey k1 = DataKey.generate(random);
    Access shared =
        policy.change(
            policy.newVersion(null, k1, id),
            AccessPolicy.Grants.privateOnly().with(friend.id()),
            k1,
            id);
    Access revoked = policy.change(shared, policy.grantsOf(shared).without(friend.id()), k1, id);
    assertEquals(Visibility.PRIVATE, revoked.visibility());
    assertNull(revoked.wrappedKey(friend.id()), "the revoked entry is gone now");
    assertTrue(policy.keyMustChange(revoked), "the revoked account may have kept the key");
    assertTrue(opens(revoked, owner, k1), "the owner still opens a retired entry");
    DataKey k2 = DataKey.generate(random);
    Access next = policy.newVersion(revoked, k2, id);
    assertFalse(policy.isRetired(next), "a new key clears the mark");
    assertFalse(policy.keyMustChange(next));
    assertFalse(opens(next, friend, k2));
    byte[] oldWrap = shared.wrappedKey(friend.id());
    Access kept = Access.of(Visibility.SHARED, Map.of(friend.id(), oldWrap), null);
    assertFalse(opens(kept, friend, k2), "a kept old wrapped key opens only the old version's key");
  }

  @Test
  void publicThenPrivate_publishesTheKey_thenRetiresIt() {
    DataKey k = DataKey.generate(random);
    Access priv = policy.newVersion(null, k, id);
    Access pub = policy.change(priv, policy.grantsOf(priv).asPublic(), k, id);
    assertEquals(Visibility.PUBLIC, pub.visibility());
    assertArrayEquals(k.bytes(), pub.publicDataKey());
    assertTrue(opens(pub, friend, k), "anyone reads a public object");
    assertEquals(
        Visibility.PUBLIC, policy.newVersion(pub, DataKey.generate(random), id).visibility());
    Access back = policy.change(pub, policy.grantsOf(pub).asPrivate(), k, id);
    assertEquals(Visibility.PRIVATE, back.visibility());
    assertNull(back.publicDataKey());
    assertTrue(policy.keyMustChange(back), "the key was published");
  }

  @Test
  void deauthorizedOperator_isLeftOutOfTheNextVersion_andRetiresTheKey() {
    operators.add(gateway.id());
    DataKey k1 = DataKey.generate(random);
    Access v1 = policy.newVersion(null, k1, id);
    assertFalse(policy.keyMustChange(v1));
    operators.clear();
    assertTrue(policy.keyMustChange(v1), "the old operator holds the key");
    DataKey k2 = DataKey.generate(random);
    Access v2 = policy.newVersion(v1, k2, id);
    assertNull(v2.wrappedKey(gateway.id()));
    assertTrue(policy.grantsOf(v2).grantees().isEmpty(), "not carried forward as a grantee");
  }

  @Test
  void share_withAnAccountWithoutAKey_namesIt() {
    DataKey k = DataKey.generate(random);
    Access priv = policy.newVersion(null, k, id);
    MissingKeyException e =
        assertThrows(
            MissingKeyException.class,
            () -> policy.change(priv, policy.grantsOf(priv).with(silent.id()), k, id));
    assertTrue(e.getMessage().contains(silent.id().address()), e.getMessage());
    assertTrue(e.getMessage().contains("deoss faucet"), e.getMessage());
    assertEquals(silent.id(), e.account());
  }

  @Test
  void operatorWithoutAKey_isSkipped_andAGranteeThatIsAlsoAnOperatorStaysAGrantee() {
    operators.add(silent.id());
    operators.add(friend.id());
    DataKey k = DataKey.generate(random);
    Access a = policy.newVersion(null, k, id);
    assertNull(a.wrappedKey(silent.id()));
    Access shared = policy.change(a, policy.grantsOf(a).with(friend.id()), k, id);
    assertEquals(Access.Role.READER, shared.role(friend.id()));
    assertNotNull(shared.wrappedKey(friend.id()));
    assertTrue(opens(shared, friend, k));
  }

  @Test
  void grants_normalizeTheVisibility() {
    AccessPolicy.Grants g = new AccessPolicy.Grants(Visibility.SHARED, new java.util.TreeSet<>());
    assertEquals(Visibility.PRIVATE, g.visibility());
    assertEquals(Visibility.SHARED, g.with(friend.id()).visibility());
    assertEquals(Visibility.PRIVATE, g.with(friend.id()).without(friend.id()).visibility());
    assertEquals(Visibility.PUBLIC, g.with(friend.id()).asPublic().visibility());
    assertTrue(g.with(friend.id()).asPublic().asPrivate().grantees().isEmpty());
  }
}
