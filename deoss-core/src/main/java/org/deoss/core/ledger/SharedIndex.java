package org.deoss.core.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.deoss.core.account.AccountId;

/**
 * The derived index of what is shared with whom: for each account, the objects of other owners
 * whose current version wraps the data key for it as a {@link Access.Role#READER}. Operators'
 * entries and the owner's own entry are not indexed. Rebuilt from the objects on snapshot restore
 * (through {@link LedgerState#index}); not part of the snapshot. Not thread-safe, like the state.
 */
final class SharedIndex {
  /** One shared object, ordered by owner address, bucket, key. */
  record Entry(AccountId owner, String bucket, String key) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      int c = owner.address().compareTo(o.owner.address());
      if (c == 0) {
        c = bucket.compareTo(o.bucket);
      }
      return c != 0 ? c : key.compareTo(o.key);
    }

    /** The page token: {@code owner/bucket/key} (addresses and bucket names have no '/'). */
    String token() {
      return owner.address() + "/" + bucket + "/" + key;
    }
  }

  private final Map<AccountId, TreeSet<Entry>> byGrantee = new HashMap<>();

  void add(ObjectRecord o) {
    Access a = o.access();
    for (AccountId g : a.grantees()) {
      if (!g.equals(o.owner()) && a.role(g) == Access.Role.READER) {
        byGrantee
            .computeIfAbsent(g, k -> new TreeSet<>())
            .add(new Entry(o.owner(), o.bucket(), o.key()));
      }
    }
  }

  void remove(ObjectRecord o) {
    Entry e = new Entry(o.owner(), o.bucket(), o.key());
    for (AccountId g : o.access().grantees()) {
      TreeSet<Entry> set = byGrantee.get(g);
      if (set != null) {
        set.remove(e);
        if (set.isEmpty()) {
          byGrantee.remove(g);
        }
      }
    }
  }

  /**
   * Up to {@code limit} entries for {@code grantee} strictly after {@code startAfter} (a previous
   * page's token, or null), and whether more follow.
   */
  List<Entry> page(AccountId grantee, String startAfter, int limit) {
    Entry after = startAfter == null ? null : parse(startAfter);
    TreeSet<Entry> set = byGrantee.get(grantee);
    List<Entry> out = new ArrayList<>();
    if (set == null) {
      return out;
    }
    Iterable<Entry> from = after == null ? set : set.tailSet(after, false);
    for (Entry e : from) {
      if (out.size() == limit + 1) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  private static Entry parse(String token) {
    int a = token.indexOf('/');
    int b = a < 0 ? -1 : token.indexOf('/', a + 1);
    if (b < 0) {
      throw new IllegalArgumentException(
          "startAfter must be a previous page's token OWNER/BUCKET/KEY, got '" + token + "'");
    }
    AccountId owner;
    try {
      owner = AccountId.parse(token.substring(0, a));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "startAfter must start with an account address, got '" + token + "'", e);
    }
    return new Entry(owner, token.substring(a + 1, b), token.substring(b + 1));
  }
}
