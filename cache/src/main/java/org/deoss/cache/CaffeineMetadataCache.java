package org.deoss.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.port.LedgerClient;

/** {@link MetadataCache} on two Caffeine caches: records (with negative entries) and pages. */
final class CaffeineMetadataCache implements MetadataCache {
  private static final long MAX_RECORDS = 100_000;
  private static final long MAX_PAGES = 2_000;

  /** One listing request. */
  record PageKey(ObjectPath prefix, String delimiter, String startAfter, int limit) {}

  private final LoadingCache<ObjectPath, Optional<ObjectRecord>> records;
  private final LoadingCache<PageKey, ListPage> pages;
  private final FolderIndex folders;

  CaffeineMetadataCache(
      LedgerClient ledger,
      Duration ttl,
      Duration negativeTtl,
      Ticker ticker,
      java.util.concurrent.Executor refresher) {
    Objects.requireNonNull(ledger, "ledger");
    long ttlNanos = ttl.toNanos();
    long negativeNanos = negativeTtl.toNanos();
    this.records =
        Caffeine.newBuilder()
            .ticker(ticker)
            .executor(Runnable::run)
            .maximumSize(MAX_RECORDS)
            .expireAfter(
                Expiry.<ObjectPath, Optional<ObjectRecord>>creating(
                    (k, v) -> Duration.ofNanos(v.isPresent() ? ttlNanos : negativeNanos)))
            .build(p -> ledger.object(p.owner(), p.bucket(), p.key()));
    this.pages =
        Caffeine.newBuilder()
            .ticker(ticker)
            .executor(Runnable::run)
            .maximumSize(MAX_PAGES)
            .expireAfterWrite(ttl)
            .build(
                k -> {
                  long started = ticker.read();
                  ListPage page =
                      ledger.list(
                          k.prefix().owner(),
                          k.prefix().bucket(),
                          k.prefix().key(),
                          k.delimiter(),
                          k.startAfter(),
                          k.limit());
                  seed(page, started);
                  return page;
                });
    this.folders = new FolderIndex(ledger, ttl, ticker, this::seed, refresher);
  }

  /**
   * A listing carries the records it lists: keeping them answers the stat of every entry that
   * follows a readdir ({@code ls -l}, a file manager, rsync) from memory instead of one ledger
   * query per name. They are as fresh as the page, and expire with the same TTL. A record the mount
   * changed since the page was asked for is not kept: it is checked after the put, and an
   * invalidation stamps its change before it forgets the record, so one of the two removes it.
   */
  private void seed(ListPage page, long started) {
    for (ObjectRecord r : page.objects()) {
      ObjectPath p = new ObjectPath(r.owner(), r.bucket(), r.key());
      records.put(p, Optional.of(r));
      if (folders.changedSince(p, started)) {
        records.invalidate(p);
      }
    }
  }

  @Override
  public Optional<ObjectRecord> object(ObjectPath path) {
    return records.get(path);
  }

  @Override
  public Presence presence(ObjectPath path) {
    return folders.presence(path);
  }

  @Override
  public ListPage list(ObjectPath prefix, String delimiter, String startAfter, int limit) {
    return pages.get(new PageKey(prefix, delimiter, startAfter, limit));
  }

  @Override
  public void invalidate(ObjectPath path) {
    folders.changed(path);
    records.invalidate(path);
    pages
        .asMap()
        .keySet()
        .removeIf(k -> sameBucket(k.prefix(), path) && path.key().startsWith(k.prefix().key()));
  }

  @Override
  public void invalidatePrefix(ObjectPath prefix) {
    folders.changed(prefix);
    folders.reset();
    records
        .asMap()
        .keySet()
        .removeIf(p -> sameBucket(p, prefix) && p.key().startsWith(prefix.key()));
    pages
        .asMap()
        .keySet()
        .removeIf(
            k ->
                sameBucket(k.prefix(), prefix)
                    && (prefix.key().startsWith(k.prefix().key())
                        || k.prefix().key().startsWith(prefix.key())));
  }

  @Override
  public void invalidateAll() {
    folders.reset();
    records.invalidateAll();
    pages.invalidateAll();
  }

  private static boolean sameBucket(ObjectPath a, ObjectPath b) {
    return a.owner().equals(b.owner()) && a.bucket().equals(b.bucket());
  }
}
