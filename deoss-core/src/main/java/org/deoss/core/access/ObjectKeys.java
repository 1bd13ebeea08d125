package org.deoss.core.access;

import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;
import org.deoss.core.account.AccountId;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.crypto.KeyWrap;
import org.deoss.core.crypto.TamperedDataException;
import org.deoss.core.crypto.X25519KeyPair;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.Visibility;
import org.deoss.core.manifest.ObjectId;

/**
 * Wraps an object's data key into an {@link Access} record and opens it again. The wrap is bound to
 * the object id ({@link KeyWrap#dekInfo}), so a wrapped key copied to another object does not open.
 */
public final class ObjectKeys {
  private ObjectKeys() {}

  /**
   * A private access record: the data key wrapped for the owner only.
   *
   * @param ownerX25519Public the owner's announced X25519 public key
   */
  public static Access privateAccess(
      AccountId owner, byte[] ownerX25519Public, DataKey key, ObjectId id, SecureRandom random) {
    return sharedAccess(Map.of(owner, ownerX25519Public), key, id, random, Visibility.PRIVATE);
  }

  /**
   * An access record wrapping the data key for every reader in {@code readers} (the owner among
   * them), with visibility {@code SHARED} when there is more than one reader.
   */
  public static Access sharedAccess(
      Map<AccountId, byte[]> readers, DataKey key, ObjectId id, SecureRandom random) {
    return sharedAccess(
        readers, key, id, random, readers.size() > 1 ? Visibility.SHARED : Visibility.PRIVATE);
  }

  private static Access sharedAccess(
      Map<AccountId, byte[]> readers,
      DataKey key,
      ObjectId id,
      SecureRandom random,
      Visibility visibility) {
    byte[] info = KeyWrap.dekInfo(id.toBytes());
    Map<AccountId, byte[]> wrapped = new TreeMap<>();
    for (Map.Entry<AccountId, byte[]> r : readers.entrySet()) {
      wrapped.put(r.getKey(), KeyWrap.wrap(r.getValue(), key, info, random));
    }
    return Access.of(visibility, wrapped, null);
  }

  /** A public access record: anyone may read; the data key is in clear. */
  public static Access publicAccess(DataKey key) {
    return Access.of(Visibility.PUBLIC, Map.of(), key.bytes());
  }

  /**
   * The data key of object {@code id} for {@code reader}: its own wrapped key, or the clear key of
   * a public object.
   *
   * @throws NotAReaderException when the record has no key for the reader, or the wrapped key does
   *     not open with the reader's keys
   */
  public static DataKey open(Access access, ObjectId id, AccountId reader, X25519KeyPair keys) {
    if (access.visibility() == Visibility.PUBLIC) {
      return DataKey.of(access.publicDataKey());
    }
    byte[] wrapped = access.wrappedKey(reader);
    if (wrapped == null) {
      throw new NotAReaderException(
          reader + " is not among the " + access.grantees().size() + " readers of object " + id);
    }
    try {
      return KeyWrap.unwrap(keys, AccessPolicy.unmark(wrapped), KeyWrap.dekInfo(id.toBytes()));
    } catch (TamperedDataException e) {
      throw new NotAReaderException(
          "the data key of object "
              + id
              + " wrapped for "
              + reader
              + " does not open with that account's encryption key",
          e);
    }
  }
}
