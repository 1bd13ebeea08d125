package org.deoss.fs;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.deoss.cache.MetadataCache;
import org.deoss.cache.ObjectPath;
import org.deoss.cache.ObjectStore;
import org.deoss.cache.WriteBackCache;
import org.deoss.cache.WriteBackCache.PendingFile;
import org.deoss.core.ledger.BucketInfo;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;

/**
 * Resolves paths to {@link Node}s over the write-back cache (pending files first, they are newer),
 * the metadata cache and the ledger, and submits ledger calls. Buckets are looked up through a
 * one-second cache of the account's bucket list. Thread-safe.
 */
final class Namespace {
  private static final long BUCKET_TTL_MILLIS = 1000;

  final ObjectStore store;
  final WriteBackCache cache;
  final MetadataCache meta;
  final PathMapper mapper;
  final Clock clock;
  private final ConcurrentHashMap<String, Long> knownBuckets = new ConcurrentHashMap<>();
  private volatile List<BucketInfo> bucketList;
  private volatile long bucketListAt = Long.MIN_VALUE;
  final SharedTree shared;

  Namespace(
      ObjectStore store, WriteBackCache cache, MetadataCache meta, PathMapper mapper, Clock clock) {
    this.store = store;
    this.cache = cache;
    this.meta = meta;
    this.mapper = mapper;
    this.clock = clock;
    this.shared = new SharedTree(store.ledger(), store.account(), clock);
  }

  ObjectPath object(String bucket, String key) {
    return new ObjectPath(store.account(), bucket, key);
  }

  ObjectPath object(FsPath p) {
    return object(p.bucket(), p.key());
  }

  ObjectPath marker(FsPath p) {
    return object(p.bucket(), p.markerKey());
  }

  long nowNanos() {
    java.time.Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  // ---------------------------------------------------------------- buckets

  List<BucketInfo> buckets() {
    long now = clock.millis();
    List<BucketInfo> list = bucketList;
    if (list == null || now - bucketListAt >= BUCKET_TTL_MILLIS) {
      list = store.ledger().buckets(store.account());
      bucketList = list;
      bucketListAt = now;
    }
    return list;
  }

  boolean bucketExists(String name) {
    Long seen = knownBuckets.get(name);
    if (seen != null && clock.millis() - seen < BUCKET_TTL_MILLIS) {
      return true;
    }
    boolean exists = store.ledger().bucket(store.account(), name).isPresent();
    if (exists) {
      knownBuckets.put(name, clock.millis());
    }
    return exists;
  }

  void bucketsChanged() {
    bucketList = null;
    knownBuckets.clear();
  }

  /** Creates the reserved bucket if it is missing. */
  void ensureReservedBucket() {
    String name = mapper.reservedBucket();
    if (bucketExists(name)) {
      return;
    }
    try {
      submit(new Call.CreateBucket(store.account(), name));
    } catch (LedgerRejection r) {
      if (r.reason() != LedgerRejection.Reason.BUCKET_EXISTS) {
        throw r;
      }
    }
    bucketsChanged();
  }

  // ---------------------------------------------------------------- resolving

  /** The node at {@code p}, or empty when nothing is there. */
  Optional<Node> resolve(FsPath p) {
    switch (p.kind()) {
      case SHARED:
        return shared.resolve(p);
      case ROOT:
        return Optional.of(new Node(p, Node.Type.ROOT, null, 0, null, false));
      case BUCKET:
        if (mapper.singleBucket() || bucketExists(p.bucket())) {
          return Optional.of(new Node(p, Node.Type.BUCKET, null, 0, null, false));
        }
        return resolveEntry(mapper.rootFile(p));
      default:
        return resolveEntry(p);
    }
  }

  /** The node at {@code p}; ENOENT when missing. */
  Node require(FsPath p) throws FsException {
    return resolve(p).orElseThrow(() -> Errno.noEntry(p));
  }

  /** A folder at {@code p}; ENOENT when missing, ENOTDIR when a file. */
  Node requireDir(FsPath p) throws FsException {
    Node n = require(p);
    if (!n.isDir()) {
      throw Errno.notDir(p);
    }
    return n;
  }

  /**
   * Pending files first (they are newer), then the ledger through the metadata cache. A recent
   * listing of the folder ({@link MetadataCache#presence}) answers most lookups of missing names
   * (every create) and of folders without asking the ledger for the key, its marker and its
   * children one by one.
   */
  private Optional<Node> resolveEntry(FsPath p) {
    try {
      ObjectPath op = object(p);
      Optional<PendingFile> pf = cache.pending(op);
      if (pf.isPresent()) {
        PendingFile f = pf.get();
        return Optional.of(
            new Node(p, fileType(f.attributes()), f.attributes(), f.size(), null, true));
      }
      MetadataCache.Presence known = meta.presence(op);
      if (known == MetadataCache.Presence.UNKNOWN) {
        Optional<ObjectRecord> rec = meta.object(op);
        if (rec.isPresent()) {
          ObjectRecord r = rec.get();
          return Optional.of(
              new Node(p, fileType(r.attributes()), r.attributes(), r.size(), r, false));
        }
      }
      ObjectPath mk = marker(p);
      Optional<PendingFile> pm = cache.pending(mk);
      if (pm.isPresent()) {
        return Optional.of(new Node(p, Node.Type.MARKED_DIR, pm.get().attributes(), 0, null, true));
      }
      if (known == MetadataCache.Presence.FOLDER || known == MetadataCache.Presence.UNKNOWN) {
        Optional<ObjectRecord> m = meta.object(mk);
        if (m.isPresent()) {
          return Optional.of(
              new Node(p, Node.Type.MARKED_DIR, m.get().attributes(), 0, m.get(), false));
        }
      }
      boolean children =
          switch (known) {
            case ABSENT -> hasPendingChildren(p, null);
            case FOLDER, IMPLICIT_FOLDER -> true;
            case UNKNOWN -> hasChildren(p, null);
          };
      if (children) {
        return Optional.of(new Node(p, Node.Type.IMPLICIT_DIR, null, 0, null, false));
      }
      return Optional.empty();
    } catch (LedgerRejection r) {
      if (r.reason() == LedgerRejection.Reason.NO_SUCH_BUCKET) {
        return Optional.empty();
      }
      throw r;
    }
  }

  private static Node.Type fileType(PosixAttributes a) {
    return Attrs.isSymlink(a) ? Node.Type.SYMLINK : Node.Type.FILE;
  }

  /**
   * Whether the folder {@code p} holds anything other than its own marker and {@code except} (a
   * child key to ignore, or null), in the ledger or the cache.
   */
  boolean hasChildren(FsPath p, String except) {
    if (hasPendingChildren(p, except)) {
      return true;
    }
    String prefix = p.childPrefix();
    ObjectPath pp = object(p.bucket(), prefix);
    ListPage page;
    try {
      page = meta.list(pp, "", null, 3);
    } catch (LedgerRejection r) {
      if (r.reason() == LedgerRejection.Reason.NO_SUCH_BUCKET) {
        return false;
      }
      throw r;
    }
    for (ObjectRecord r : page.objects()) {
      if (!r.key().equals(prefix) && !r.key().equals(except)) {
        return true;
      }
    }
    return !page.commonPrefixes().isEmpty();
  }

  /** Whether the write-back cache holds a file under {@code p} other than its marker and except. */
  private boolean hasPendingChildren(FsPath p, String except) {
    String prefix = p.childPrefix();
    for (PendingFile f : cache.pendingUnder(object(p.bucket(), prefix))) {
      String k = f.path().key();
      if (!k.equals(prefix) && !k.equals(except)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- ledger

  /**
   * Submits {@code call} and waits until it is committed. A BAD_NONCE rejection (another call of
   * this account was rejected meanwhile, so the nonces after it moved) changed nothing and is
   * retried with the nonce read again.
   */
  void submit(Call call) {
    for (int attempt = 1; ; attempt++) {
      try {
        store.tx().submitAndWait(call);
        return;
      } catch (LedgerRejection r) {
        if (r.reason() != LedgerRejection.Reason.BAD_NONCE || attempt == 5) {
          throw r;
        }
      }
    }
  }

  /** Whether the ledger holds {@code p} now (asked directly, not through the metadata cache). */
  boolean committed(ObjectPath p) {
    try {
      return store.ledger().object(p.owner(), p.bucket(), p.key()).isPresent();
    } catch (LedgerRejection r) {
      if (r.reason() == LedgerRejection.Reason.NO_SUCH_BUCKET) {
        return false;
      }
      throw r;
    }
  }
}
