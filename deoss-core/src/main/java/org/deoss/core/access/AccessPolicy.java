package org.deoss.core.access;

import java.security.SecureRandom;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.deoss.core.account.AccountId;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.crypto.KeyWrap;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.Visibility;
import org.deoss.core.manifest.ObjectId;

/**
 * Who may read each version of one owner's objects, and the {@link Access} records that say so.
 *
 * <p><b>Grants.</b> The owner chooses a visibility and a set of grantees ({@link Grants}). The
 * record of a version wraps the data key for the owner, for each grantee (the key comes from the
 * ledger's key directory; an account that never announced one is refused with {@link
 * MissingKeyException}), and for each operator the owner has authorized at the time (a gateway, a
 * mount), so an operator acting for the owner can read. A PUBLIC record also carries the key in
 * clear.
 *
 * <p><b>Entries.</b> A grantee's or the owner's entry is the {@link KeyWrap} output. An operator's
 * entry is {@link Access#OPERATOR_MARK} followed by it, so the grants can be told apart from the
 * operators when the next version is written: an operator the owner has since deauthorized is left
 * out. The owner's entry may instead start with {@link #RETIRED_MARK}: set when a change of the
 * current version narrowed who may read (a revoked grantee, a public object made private), it tells
 * the next writer that someone outside the readers may hold this data key, so the next version must
 * not reuse it ({@link #keyMustChange}).
 *
 * <p><b>Versions.</b> A new version keeps the grants of the version it replaces ({@link
 * #newVersion}), wrapped afresh for its own data key; the operators are those authorized now.
 * {@link #change} rewrites the current version's record for new grants with the same data key.
 *
 * <p>Thread-safe if the directory is.
 */
public final class AccessPolicy {
  /** First byte of the owner's entry when the data key must not be reused by the next version. */
  public static final byte RETIRED_MARK = 'R';

  private final AccountId owner;
  private final byte[] ownerPublicKey;
  private final KeyDirectory directory;
  private final SecureRandom random;

  /**
   * A policy for {@code owner}'s objects.
   *
   * @param ownerPublicKey the owner's X25519 public key (known locally, announced or not)
   */
  public AccessPolicy(
      AccountId owner, byte[] ownerPublicKey, KeyDirectory directory, SecureRandom random) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.ownerPublicKey = Objects.requireNonNull(ownerPublicKey, "ownerPublicKey").clone();
    this.directory = Objects.requireNonNull(directory, "directory");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * What the owner decided: a visibility and the accounts it shares with (never the owner). SHARED
   * and PRIVATE follow from whether there are grantees; a PUBLIC object keeps its grantees, so they
   * still read it after it is made private again only if the owner keeps them ({@link #asPrivate}
   * drops them).
   */
  public record Grants(Visibility visibility, SortedSet<AccountId> grantees) {
    public Grants {
      Objects.requireNonNull(visibility, "visibility");
      grantees = Collections.unmodifiableSortedSet(new TreeSet<>(grantees));
      if (visibility != Visibility.PUBLIC) {
        visibility = grantees.isEmpty() ? Visibility.PRIVATE : Visibility.SHARED;
      }
    }

    /** The owner only. */
    public static Grants privateOnly() {
      return new Grants(Visibility.PRIVATE, new TreeSet<>());
    }

    /** These grants plus {@code account}. */
    public Grants with(AccountId account) {
      TreeSet<AccountId> g = new TreeSet<>(grantees);
      g.add(account);
      return new Grants(visibility, g);
    }

    /** These grants without {@code account}. */
    public Grants without(AccountId account) {
      TreeSet<AccountId> g = new TreeSet<>(grantees);
      g.remove(account);
      return new Grants(visibility, g);
    }

    /** Readable by anyone. */
    public Grants asPublic() {
      return new Grants(Visibility.PUBLIC, grantees);
    }

    /** The owner only: not public, no grantees. */
    public Grants asPrivate() {
      return privateOnly();
    }
  }

  /** The grants an access record of {@code owner}'s object expresses. */
  public static Grants grantsOf(Access access, AccountId owner) {
    TreeSet<AccountId> g = new TreeSet<>();
    for (AccountId a : access.grantees()) {
      if (!a.equals(owner) && access.role(a) == Access.Role.READER) {
        g.add(a);
      }
    }
    return new Grants(access.visibility(), g);
  }

  /** The grants of this owner's object with record {@code access}. */
  public Grants grantsOf(Access access) {
    return grantsOf(access, owner);
  }

  /**
   * The record of a new version with data key {@code key}: the grants of {@code previous} (the
   * version it replaces, or null for a new object: private), the operators authorized now.
   *
   * @throws MissingKeyException when a grantee has no announced key
   */
  public Access newVersion(Access previous, DataKey key, ObjectId id) {
    Grants g = previous == null ? Grants.privateOnly() : grantsOf(previous);
    return build(g, key, id, false);
  }

  /**
   * The record of the current version (record {@code current}, data key {@code key}) after the
   * owner changed its grants. When the change narrows who may read, the owner's entry is marked
   * retired so the next version uses a new key.
   *
   * @throws MissingKeyException when a grantee has no announced key
   */
  public Access change(Access current, Grants grants, DataKey key, ObjectId id) {
    boolean narrows = isRetired(current);
    if (current.visibility() == Visibility.PUBLIC && grants.visibility() != Visibility.PUBLIC) {
      narrows = true;
    }
    for (AccountId a : grantsOf(current).grantees()) {
      if (!grants.grantees().contains(a)) {
        narrows = true;
      }
    }
    return build(grants, key, id, narrows);
  }

  /**
   * Whether the next version must use a new data key rather than reuse the one of {@code previous}
   * (a writer that rewrites only part of an object would otherwise keep it): true when the record
   * is marked retired, or wraps the key for an operator the owner no longer authorizes.
   */
  public boolean keyMustChange(Access previous) {
    if (isRetired(previous)) {
      return true;
    }
    Set<AccountId> operators = new HashSet<>(directory.authorizations(owner));
    for (AccountId a : previous.grantees()) {
      if (previous.role(a) == Access.Role.OPERATOR && !operators.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the owner's entry of {@code access} is marked retired. */
  public boolean isRetired(Access access) {
    byte[] mine = access.wrappedKey(owner);
    return mine != null && mine.length > 0 && mine[0] == RETIRED_MARK;
  }

  private Access build(Grants g, DataKey key, ObjectId id, boolean retired) {
    byte[] info = KeyWrap.dekInfo(id.toBytes());
    Map<AccountId, byte[]> entries = new LinkedHashMap<>();
    entries.put(owner, mark(retired ? RETIRED_MARK : 0, wrap(ownerPublicKey, key, info)));
    for (AccountId a : g.grantees()) {
      if (a.equals(owner)) {
        continue;
      }
      byte[] pub = directory.encryptionKey(a).orElseThrow(() -> new MissingKeyException(a));
      entries.put(a, wrap(pub, key, info));
    }
    List<AccountId> operators = directory.authorizations(owner);
    for (AccountId op : operators) {
      if (entries.containsKey(op)) {
        continue;
      }
      // An operator that has announced no key yet cannot be wrapped for; the next version that is
      // written after it announces one includes it.
      directory
          .encryptionKey(op)
          .ifPresent(pub -> entries.put(op, mark(Access.OPERATOR_MARK, wrap(pub, key, info))));
    }
    if (g.visibility() == Visibility.PUBLIC) {
      return Access.of(Visibility.PUBLIC, entries, key.bytes());
    }
    return Access.of(g.visibility(), entries, null);
  }

  private byte[] wrap(byte[] publicKey, DataKey key, byte[] info) {
    return KeyWrap.wrap(publicKey, key, info, random);
  }

  private static byte[] mark(byte mark, byte[] wrapped) {
    if (mark == 0) {
      return wrapped;
    }
    byte[] out = new byte[wrapped.length + 1];
    out[0] = mark;
    System.arraycopy(wrapped, 0, out, 1, wrapped.length);
    return out;
  }

  /**
   * The KeyWrap output inside an entry: without the operator or retired mark, if any. A wrapped key
   * itself starts with {@link KeyWrap#VERSION}, never with a mark.
   */
  static byte[] unmark(byte[] entry) {
    if (entry.length > 0 && (entry[0] == Access.OPERATOR_MARK || entry[0] == RETIRED_MARK)) {
      return java.util.Arrays.copyOfRange(entry, 1, entry.length);
    }
    return entry;
  }
}
