package org.deoss.fs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import org.deoss.cache.ObjectPath;
import org.deoss.cache.WriteBackCache.PendingFile;
import org.deoss.core.ledger.BucketInfo;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.ObjectRecord;

/**
 * Directory listings: ledger pages of {@link #PAGE} entries (objects and folders, by key) merged in
 * key order with what the write-back cache holds under the folder, so files not yet uploaded show
 * at once and nothing shows twice.
 */
final class Listing {
  static final int PAGE = 1000;

  private Listing() {}

  /** The entries of the folder {@code dir} (a bucket or a folder in one). */
  static DirStream.Source folder(Namespace ns, String bucket, String prefix) {
    return new FolderSource(ns, bucket, prefix);
  }

  /** The root: the account's buckets (without the reserved one), then the reserved bucket's top. */
  static DirStream.Source root(Namespace ns) {
    return new RootSource(ns);
  }

  private static final class RootSource implements DirStream.Source {
    private final Namespace ns;
    private boolean bucketsDone;
    private DirStream.Source reserved;

    RootSource(Namespace ns) {
      this.ns = ns;
    }

    @Override
    public List<String> next() {
      if (!bucketsDone) {
        bucketsDone = true;
        List<String> names = new ArrayList<>();
        for (BucketInfo b : ns.buckets()) {
          if (!b.name().equals(ns.mapper.reservedBucket()) && !b.name().equals(SharedTree.FOLDER)) {
            names.add(b.name());
          }
        }
        names.add(SharedTree.FOLDER);
        return names;
      }
      if (reserved == null) {
        reserved = new FolderSource(ns, ns.mapper.reservedBucket(), "");
      }
      return reserved.next();
    }

    @Override
    public DirStream.Source restart() {
      return new RootSource(ns);
    }
  }

  private static final class FolderSource implements DirStream.Source {
    private final Namespace ns;
    private final String bucket;
    private final String prefix;
    private final Deque<String[]> pending; // {sortKey, name}, sorted, one per child
    private String token;
    private boolean ledgerDone;

    FolderSource(Namespace ns, String bucket, String prefix) {
      this.ns = ns;
      this.bucket = bucket;
      this.prefix = prefix;
      this.pending = pendingChildren(ns.cache.pendingUnder(ns.object(bucket, prefix)), prefix);
    }

    @Override
    public DirStream.Source restart() {
      return new FolderSource(ns, bucket, prefix);
    }

    @Override
    public List<String> next() {
      if (ledgerDone) {
        if (pending.isEmpty()) {
          return null;
        }
        List<String> rest = new ArrayList<>();
        while (!pending.isEmpty()) {
          rest.add(pending.poll()[1]);
        }
        return rest;
      }
      ListPage page;
      try {
        page = ns.meta.list(ns.object(bucket, prefix), "/", token, PAGE);
      } catch (LedgerRejection r) {
        if (r.reason() != LedgerRejection.Reason.NO_SUCH_BUCKET) {
          throw r;
        }
        page = new ListPage(List.of(), List.of(), null);
      }
      TreeMap<String, String> merged = new TreeMap<>();
      for (ObjectRecord o : page.objects()) {
        if (!o.key().equals(prefix)) {
          merged.put(o.key(), o.key().substring(prefix.length()));
        }
      }
      for (String cp : page.commonPrefixes()) {
        merged.put(cp, cp.substring(prefix.length(), cp.length() - 1));
      }
      token = page.next();
      ledgerDone = token == null;
      String last = ledgerDone || merged.isEmpty() ? null : merged.lastKey();
      while (!pending.isEmpty() && (last == null || pending.peek()[0].compareTo(last) <= 0)) {
        String[] p = pending.poll();
        merged.putIfAbsent(p[0], p[1]);
      }
      return new ArrayList<>(merged.values());
    }
  }

  /** The direct children of {@code prefix} among pending files, by key order, without repeats. */
  static Deque<String[]> pendingChildren(List<PendingFile> files, String prefix) {
    TreeMap<String, String> children = new TreeMap<>();
    for (PendingFile f : files) {
      ObjectPath p = f.path();
      String rest = p.key().substring(prefix.length());
      if (rest.isEmpty()) {
        continue; // the folder's own marker
      }
      int slash = rest.indexOf('/');
      if (slash < 0) {
        children.put(p.key(), rest);
      } else {
        String name = rest.substring(0, slash);
        children.put(prefix + name + "/", name);
      }
    }
    Deque<String[]> out = new ArrayDeque<>();
    children.forEach((k, v) -> out.add(new String[] {k, v}));
    return out;
  }
}
