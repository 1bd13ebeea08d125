package org.deoss.core.ledger;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.deoss.core.account.AccountId;

/**
 * Who may read an object: its visibility, the object's data key wrapped for each grantee (HPKE
 * output, opaque to the ledger; the owner is normally a grantee too), and for {@link
 * Visibility#PUBLIC} the data key in clear. Immutable; byte arrays are copied in and out.
 */
public final class Access {
  /** Most grantees per object. */
  public static final int MAX_GRANTEES = 256;

  /** Largest wrapped key or clear key, in bytes. */
  public static final int MAX_KEY_BYTES = 512;

  /**
   * First byte of an operator's entry: the data key wrapped for an account the owner authorized (a
   * gateway, a mount), not for a reader the owner chose. The rest of the entry is the wrapped key.
   */
  public static final byte OPERATOR_MARK = 'O';

  /** Why an account holds a wrapped key. */
  public enum Role {
    /** The owner or an account the object is shared with. */
    READER,
    /** An operator the owner authorized; its entry starts with {@link #OPERATOR_MARK}. */
    OPERATOR
  }

  private final Visibility visibility;
  private final SortedMap<AccountId, byte[]> wrappedKeys;
  private final byte[] publicKey;

  private Access(Visibility visibility, SortedMap<AccountId, byte[]> wrapped, byte[] publicKey) {
    this.visibility = visibility;
    this.wrappedKeys = wrapped;
    this.publicKey = publicKey;
  }

  /**
   * An access record.
   *
   * @param publicDataKey the clear data key, required for PUBLIC and refused otherwise
   * @throws IllegalArgumentException naming the rule broken
   */
  public static Access of(
      Visibility visibility, Map<AccountId, byte[]> wrappedKeys, byte[] publicDataKey) {
    Objects.requireNonNull(visibility, "visibility");
    Objects.requireNonNull(wrappedKeys, "wrappedKeys");
    if (wrappedKeys.size() > MAX_GRANTEES) {
      throw new IllegalArgumentException(
          "at most " + MAX_GRANTEES + " grantees, got " + wrappedKeys.size());
    }
    TreeMap<AccountId, byte[]> copy = new TreeMap<>();
    for (Map.Entry<AccountId, byte[]> e : wrappedKeys.entrySet()) {
      byte[] k = Objects.requireNonNull(e.getValue(), "wrapped key of " + e.getKey());
      if (k.length == 0 || k.length > MAX_KEY_BYTES) {
        throw new IllegalArgumentException(
            "wrapped key for "
                + e.getKey()
                + " must be 1.."
                + MAX_KEY_BYTES
                + " bytes, got "
                + k.length);
      }
      copy.put(Objects.requireNonNull(e.getKey(), "grantee"), k.clone());
    }
    if (visibility == Visibility.PUBLIC) {
      if (publicDataKey == null
          || publicDataKey.length == 0
          || publicDataKey.length > MAX_KEY_BYTES) {
        throw new IllegalArgumentException(
            "a PUBLIC object needs its data key in clear (1.." + MAX_KEY_BYTES + " bytes)");
      }
      publicDataKey = publicDataKey.clone();
    } else if (publicDataKey != null) {
      throw new IllegalArgumentException("only a PUBLIC object carries a clear data key");
    }
    return new Access(visibility, copy, publicDataKey);
  }

  /** Private, with the data key wrapped for the owner only. */
  public static Access privateTo(AccountId owner, byte[] wrappedForOwner) {
    return of(Visibility.PRIVATE, Map.of(owner, wrappedForOwner), null);
  }

  /** Private with no wrapped keys at all (plaintext managed elsewhere, or tests). */
  public static Access none() {
    return of(Visibility.PRIVATE, Map.of(), null);
  }

  public Visibility visibility() {
    return visibility;
  }

  /** Grantees in account order. */
  public java.util.Set<AccountId> grantees() {
    return Collections.unmodifiableSet(wrappedKeys.keySet());
  }

  /** A copy of the key wrapped for {@code grantee}, or null. */
  public byte[] wrappedKey(AccountId grantee) {
    byte[] k = wrappedKeys.get(grantee);
    return k == null ? null : k.clone();
  }

  /** The role of {@code grantee}'s entry, or null when it has none. */
  public Role role(AccountId grantee) {
    byte[] k = wrappedKeys.get(grantee);
    if (k == null) {
      return null;
    }
    return k[0] == OPERATOR_MARK ? Role.OPERATOR : Role.READER;
  }

  /** A copy of the clear data key of a PUBLIC object, or null. */
  public byte[] publicDataKey() {
    return publicKey == null ? null : publicKey.clone();
  }

  SortedMap<AccountId, byte[]> wrappedKeysUnsafe() {
    return wrappedKeys;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Access)) {
      return false;
    }
    Access a = (Access) o;
    if (visibility != a.visibility
        || !Arrays.equals(publicKey, a.publicKey)
        || !wrappedKeys.keySet().equals(a.wrappedKeys.keySet())) {
      return false;
    }
    for (Map.Entry<AccountId, byte[]> e : wrappedKeys.entrySet()) {
      if (!Arrays.equals(e.getValue(), a.wrappedKeys.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(visibility, wrappedKeys.keySet(), Arrays.hashCode(publicKey));
  }

  @Override
  public String toString() {
    return "Access(" + visibility + ", grantees=" + wrappedKeys.keySet() + ")";
  }
}
