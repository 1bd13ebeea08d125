package org.deoss.fs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.deoss.core.account.AccountId;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.port.LedgerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only folder {@value #FOLDER} at the mount's root: what other accounts share with this
 * one, as {@code shared-with-me/OWNER-ADDRESS/BUCKET/KEY} (a key's slashes make folders).
 *
 * <p>The ledger's {@link LedgerClient#sharedWith} index is read whole (page by page, at most {@link
 * #MAX_ENTRIES} objects) into a sorted map of relative paths, kept for {@link #TTL_MILLIS}: a grant
 * shows within two seconds, a revoke disappears as fast. Folders are the prefixes of those paths.
 * Writes anywhere below the folder answer EROFS (see {@link FsCore}). Thread-safe: the snapshot is
 * an immutable map replaced whole.
 */
final class SharedTree {
  /** The folder's name at the root; no bucket of that name is shown in the mount. */
  static final String FOLDER = "shared-with-me";

  static final long TTL_MILLIS = 2000;
  static final int MAX_ENTRIES = 10_000;
  private static final int PAGE = 1000;
  private static final Logger log = LoggerFactory.getLogger(SharedTree.class);

  private final LedgerClient ledger;
  private final AccountId me;
  private final Clock clock;
  private volatile TreeMap<String, ObjectRecord> entries;
  private volatile long loadedAt = Long.MIN_VALUE;

  SharedTree(LedgerClient ledger, AccountId me, Clock clock) {
    this.ledger = ledger;
    this.me = me;
    this.clock = clock;
  }

  /** Shared objects by path relative to the folder: {@code OWNER/BUCKET/KEY}. */
  private TreeMap<String, ObjectRecord> entries() {
    long now = clock.millis();
    TreeMap<String, ObjectRecord> e = entries;
    if (e != null && now - loadedAt < TTL_MILLIS) {
      return e;
    }
    TreeMap<String, ObjectRecord> fresh = new TreeMap<>();
    String next = null;
    do {
      ListPage page = ledger.sharedWith(me, next, PAGE);
      for (ObjectRecord o : page.objects()) {
        fresh.put(o.owner().address() + "/" + o.bucket() + "/" + o.key(), o);
      }
      next = page.next();
      if (fresh.size() >= MAX_ENTRIES && next != null) {
        log.warn("{} shows the first {} objects shared with {} only", FOLDER, fresh.size(), me);
        break;
      }
    } while (next != null);
    entries = fresh;
    loadedAt = now;
    return fresh;
  }

  /** The node at {@code p} (a path below the folder), or empty. */
  Optional<Node> resolve(FsPath p) {
    String rel = p.key();
    if (rel.isEmpty()) {
      return Optional.of(new Node(p, Node.Type.SHARED_DIR, null, 0, null, false));
    }
    TreeMap<String, ObjectRecord> e = entries();
    ObjectRecord r = e.get(rel);
    if (r != null) {
      return Optional.of(new Node(p, Node.Type.SHARED_FILE, r.attributes(), r.size(), r, false));
    }
    String dir = rel + "/";
    Map.Entry<String, ObjectRecord> after = e.ceilingEntry(dir);
    if (after != null && after.getKey().startsWith(dir)) {
      return Optional.of(new Node(p, Node.Type.SHARED_DIR, null, 0, null, false));
    }
    return Optional.empty();
  }

  /** The names in the folder {@code p}, in order, from one snapshot. */
  DirStream.Source list(FsPath p) {
    String prefix = p.key().isEmpty() ? "" : p.key() + "/";
    List<String> names = new ArrayList<>();
    String last = null;
    for (String path : entries().tailMap(prefix, true).keySet()) {
      if (!path.startsWith(prefix)) {
        break;
      }
      String rest = path.substring(prefix.length());
      int slash = rest.indexOf('/');
      String name = slash < 0 ? rest : rest.substring(0, slash);
      if (!name.equals(last)) {
        names.add(name);
        last = name;
      }
    }
    return new Once(List.copyOf(names));
  }

  /** One page of names, then the end. */
  private static final class Once implements DirStream.Source {
    private final List<String> names;
    private boolean given;

    Once(List<String> names) {
      this.names = names;
    }

    @Override
    public List<String> next() {
      if (given) {
        return null;
      }
      given = true;
      return names;
    }

    @Override
    public DirStream.Source restart() {
      return new Once(names);
    }
  }
}
