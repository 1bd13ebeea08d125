package org.deoss.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.port.LedgerClient;

/**
 * The names in small folders, from complete listings, so that a lookup of a name that is not there
 * (every create, every {@code mkdir}, rsync's temporary files) is answered without three ledger
 * queries (the key, its folder marker, anything under it).
 *
 * <p><b>Freshness.</b> A listing is trusted for the TTL, like every record of the metadata cache.
 * The mount's own changes must never be hidden by an older listing: each {@link #changed} name is
 * stamped with the ticker, and a listing whose request started at or before that stamp answers
 * {@link MetadataCache.Presence#UNKNOWN} for it (the caller asks the ledger). A prefix change (a
 * folder renamed or deleted, or everything forgotten) invalidates every listing taken before it.
 * The callers mark a name changed after its ledger change is visible (after a commit), so a listing
 * that started later shows it.
 *
 * <p>Folders of more than {@link #MAX_PAGES} pages are not indexed: their lookups are UNKNOWN.
 * Thread-safe.
 */
final class FolderIndex {
  static final int PAGE = 1000;
  static final int MAX_PAGES = 20;

  /** How long a folder whose subtree was too big to list flat is listed by level only. */
  private static final long DEEP_RETRY_NANOS = 30_000_000_000L;

  /**
   * The direct children of one folder as listed at {@code startedAt}: files, subfolders, and the
   * subfolders known to have a marker ({@code null} when the listing could not tell). Null files:
   * too big to index.
   */
  private record Names(
      long startedAt, Set<String> files, Set<String> folders, Set<String> marked) {}

  private final LedgerClient ledger;
  private final Ticker ticker;
  private final long ttlNanos;
  private final BiConsumer<ListPage, Long> seed;
  private final LoadingCache<ObjectPath, Names> folders;
  private final Map<ObjectPath, Map<String, Long>> changes = new ConcurrentHashMap<>();
  private final Map<ObjectPath, Long> deepUntil = new ConcurrentHashMap<>();

  /** Pages the last complete flat listing of a folder with subfolders took. */
  private final Map<ObjectPath, Integer> flatPages = new ConcurrentHashMap<>();

  private static final int MAX_FLAT_REMEMBERED = 10_000;
  private final AtomicLong changeCount = new AtomicLong();
  private volatile long resetAt = Long.MIN_VALUE;

  /**
   * @param seed receives every page loaded and when its listing started (its records are as fresh
   *     as any lookup)
   */
  FolderIndex(
      LedgerClient ledger,
      Duration ttl,
      Ticker ticker,
      BiConsumer<ListPage, Long> seed,
      java.util.concurrent.Executor refresher) {
    this.ledger = ledger;
    this.ticker = ticker;
    this.ttlNanos = ttl.toNanos();
    this.seed = seed;
    this.folders =
        Caffeine.newBuilder()
            .ticker(ticker)
            .executor(refresher)
            .maximumSize(1_000)
            .expireAfterWrite(ttl)
            .refreshAfterWrite(ttl.isZero() ? Duration.ofNanos(1) : ttl.dividedBy(2))
            .build(this::load);
  }

  /**
   * Lists the folder by level (its direct children); when it has subfolders, also flat, within one
   * page more than the level listing took, which tells which subfolders have a marker and seeds the
   * records below them. A folder whose subtree is too big for that is listed by level only for
   * {@link #DEEP_RETRY_NANOS}. So a load costs at most about twice the folder's own size. A folder
   * whose last load listed it flat in full is listed flat only (within one page more), so the
   * reloads of a folder in use cost its flat listing alone.
   */
  private Names load(ObjectPath folder) {
    long started = ticker.read();
    Integer known = flatPages.get(folder);
    if (known != null) {
      // Its last load listed it flat in full: that listing alone answers everything, so a reload
      // (every TTL while the folder is in use) skips the level listing, within one page more.
      Listed flat = list(folder, "", started, known + 1);
      if (flat != null) {
        flatPages.put(folder, flat.pages());
        pruneChanges(folder, started);
        return flat.names();
      }
      flatPages.remove(folder);
    }
    Listed level = list(folder, "/", started, MAX_PAGES);
    if (level == null) {
      return new Names(started, null, null, null);
    }
    Names names = level.names();
    if (names.folders().isEmpty()) {
      names = new Names(started, names.files(), names.folders(), Set.of());
    } else {
      Long deep = deepUntil.get(folder);
      if (deep == null || started - deep >= 0) {
        Listed flat = list(folder, "", started, level.pages() + 1);
        if (flat == null) {
          deepUntil.put(folder, started + DEEP_RETRY_NANOS);
        } else {
          deepUntil.remove(folder);
          if (flatPages.size() >= MAX_FLAT_REMEMBERED) {
            flatPages.clear();
          }
          flatPages.put(folder, flat.pages());
          names = flat.names();
        }
      }
    }
    pruneChanges(folder, started);
    return names;
  }

  /** A complete listing and how many pages it took. */
  private record Listed(Names names, int pages) {}

  /**
   * Lists {@code folder} whole by {@code delimiter} ("/": by level; "": flat, which also shows
   * which subfolders have a marker), or returns null past {@code maxPages}.
   */
  private Listed list(ObjectPath folder, String delimiter, long started, int maxPages) {
    Set<String> files = new HashSet<>();
    Set<String> subfolders = new HashSet<>();
    Set<String> marked = new HashSet<>();
    int from = folder.key().length();
    String token = null;
    for (int page = 1; page <= maxPages; page++) {
      ListPage p =
          ledger.list(folder.owner(), folder.bucket(), folder.key(), delimiter, token, PAGE);
      seed.accept(p, started);
      for (ObjectRecord r : p.objects()) {
        String rest = r.key().substring(from);
        int slash = rest.indexOf('/');
        if (slash < 0) {
          files.add(rest);
        } else if (slash > 0) {
          String name = rest.substring(0, slash);
          subfolders.add(name);
          if (slash == rest.length() - 1) {
            marked.add(name);
          }
        }
      }
      for (String cp : p.commonPrefixes()) {
        subfolders.add(cp.substring(from, cp.length() - 1));
      }
      token = p.next();
      if (token == null) {
        Names n =
            new Names(
                started,
                Set.copyOf(files),
                Set.copyOf(subfolders),
                delimiter.isEmpty() ? Set.copyOf(marked) : null);
        return new Listed(n, page);
      }
    }
    return null;
  }

  /** Forgets own changes so old that no listing alive can predate them. */
  private void pruneChanges(ObjectPath folder, long started) {
    Map<String, Long> c = changes.get(folder);
    if (c != null) {
      long horizon = horizon(started);
      c.values().removeIf(t -> t < horizon);
    }
  }

  private long horizon(long now) {
    return now - 10 * ttlNanos - 10_000_000_000L;
  }

  /** Now and then, drops old changes of folders nobody looked up since. */
  private void pruneAll(long now) {
    if ((changeCount.incrementAndGet() & 4095) != 0) {
      return;
    }
    long horizon = horizon(now);
    changes.values().forEach(c -> c.values().removeIf(t -> t < horizon));
  }

  /** What the listing of {@code path}'s folder says about the key {@code path}. */
  MetadataCache.Presence presence(ObjectPath path) {
    if (ttlNanos <= 0) {
      return MetadataCache.Presence.UNKNOWN;
    }
    String key = path.key();
    if (key.endsWith("/")) {
      return markerPresence(path);
    }
    int slash = key.lastIndexOf('/');
    String name = key.substring(slash + 1);
    if (name.isEmpty()) {
      return MetadataCache.Presence.UNKNOWN;
    }
    ObjectPath folder = new ObjectPath(path.owner(), path.bucket(), key.substring(0, slash + 1));
    Names names = folders.get(folder);
    if (names.startedAt() <= resetAt || ticker.read() - names.startedAt() >= ttlNanos) {
      folders.invalidate(folder);
      names = folders.get(folder);
    }
    if (names.files() == null || names.files().contains(name)) {
      return MetadataCache.Presence.UNKNOWN;
    }
    Map<String, Long> c = changes.get(folder);
    Long changedAt = c == null ? null : c.get(name);
    if (changedAt != null && changedAt >= names.startedAt()) {
      return MetadataCache.Presence.UNKNOWN;
    }
    if (!names.folders().contains(name)) {
      return MetadataCache.Presence.ABSENT;
    }
    return names.marked() != null && !names.marked().contains(name)
        ? MetadataCache.Presence.IMPLICIT_FOLDER
        : MetadataCache.Presence.FOLDER;
  }

  /**
   * For a folder marker {@code a/b/}: what the listing of {@code a/} says about the folder {@code
   * b} tells whether the marker key can exist (ABSENT: nothing; FOLDER: no marker, keys below).
   */
  private MetadataCache.Presence markerPresence(ObjectPath marker) {
    String folderKey = marker.key().substring(0, marker.key().length() - 1);
    if (folderKey.isEmpty()) {
      return MetadataCache.Presence.UNKNOWN;
    }
    MetadataCache.Presence folder =
        presence(new ObjectPath(marker.owner(), marker.bucket(), folderKey));
    return switch (folder) {
      case ABSENT -> MetadataCache.Presence.ABSENT;
      case IMPLICIT_FOLDER -> MetadataCache.Presence.FOLDER;
      default -> MetadataCache.Presence.UNKNOWN;
    };
  }

  /** Whether the mount changed {@code path} at or after {@code since} (a ticker reading). */
  boolean changedSince(ObjectPath path, long since) {
    if (ttlNanos <= 0) {
      return false;
    }
    String key = path.key();
    String trimmed = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    int slash = trimmed.lastIndexOf('/');
    ObjectPath folder =
        new ObjectPath(path.owner(), path.bucket(), trimmed.substring(0, slash + 1));
    Map<String, Long> c = changes.get(folder);
    Long at = c == null ? null : c.get(trimmed.substring(slash + 1));
    return at != null && at >= since;
  }

  /**
   * The mount changed {@code path} (a key or a folder marker): every folder on its way marks the
   * child it leads through.
   */
  void changed(ObjectPath path) {
    if (ttlNanos <= 0) {
      return;
    }
    long now = ticker.read();
    String key = path.key();
    int start = 0;
    while (start < key.length()) {
      int slash = key.indexOf('/', start);
      int end = slash < 0 ? key.length() : slash;
      ObjectPath folder = new ObjectPath(path.owner(), path.bucket(), key.substring(0, start));
      changes
          .computeIfAbsent(folder, f -> new ConcurrentHashMap<>())
          .merge(key.substring(start, end), now, Math::max);
      if (slash < 0) {
        break;
      }
      start = slash + 1;
    }
    pruneAll(now);
  }

  /** Every listing taken before now is stale (a folder moved, or everything was forgotten). */
  void reset() {
    resetAt = ticker.read();
    folders.invalidateAll();
  }
}
