package org.deoss.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.port.LedgerClient;

/**
 * Object records and listing pages from the ledger, trusted for a short time. A missing key is
 * remembered as missing too (negative entry), so repeated lookups of names that do not exist (a
 * file manager's {@code .hidden}) do not reach the ledger. The mount invalidates what it changes
 * itself, so it reads its own writes at once; changes by other clients show after the TTL.
 *
 * <p>Thread-safe. Concurrent lookups of one key share one ledger query.
 */
public interface MetadataCache {

  /**
   * A cache over {@code ledger}.
   *
   * @param ticker time source for expiry ({@link Ticker#systemTicker()}, or a fake one in tests)
   */
  static MetadataCache create(
      LedgerClient ledger, Duration ttl, Duration negativeTtl, Ticker ticker) {
    return create(ledger, ttl, negativeTtl, ticker, Runnable::run);
  }

  /**
   * A cache over {@code ledger} that reloads a folder listing in use on {@code refresher} once it
   * is half its TTL old, so that lookups keep being answered from the previous listing (never older
   * than the TTL) instead of waiting for the new one. {@link #create(LedgerClient, Duration,
   * Duration, Ticker)} reloads on the calling thread.
   */
  static MetadataCache create(
      LedgerClient ledger,
      Duration ttl,
      Duration negativeTtl,
      Ticker ticker,
      java.util.concurrent.Executor refresher) {
    return new CaffeineMetadataCache(ledger, ttl, negativeTtl, ticker, refresher);
  }

  /** The current record of {@code path}, or empty when the key does not exist. */
  Optional<ObjectRecord> object(ObjectPath path);

  /** What a recent complete listing of a key's folder says about the key. */
  enum Presence {
    /** No object at the key, no folder marker {@code key/}, nothing under {@code key/}. */
    ABSENT,
    /** No object at the key, but a marker {@code key/} or keys under it. */
    FOLDER,
    /** No object at the key, no marker {@code key/}, but keys under it. */
    IMPLICIT_FOLDER,
    /**
     * Not known from a listing: an object is there, or the folder is too big to index, or the mount
     * changed the name since the listing. Ask {@link #object}.
     */
    UNKNOWN
  }

  /**
   * What the ledger holds at {@code path}, answered from a complete listing of its folder no older
   * than the TTL (loaded on demand, one ledger query per page, for folders of up to 20,000 entries;
   * listed flat too when the subtree is hardly bigger, which also tells which subfolders have a
   * marker and seeds the records below them). Names this cache was told about through {@link
   * #invalidate} after that listing started are UNKNOWN, so the mount's own changes are never
   * hidden. Pending files of the write-back cache are not included: the caller overlays them. For a
   * folder marker key {@code a/b/} the answer is about that key: ABSENT (no marker, nothing under
   * it), FOLDER (no marker, keys under it) or UNKNOWN.
   */
  Presence presence(ObjectPath path);

  /**
   * A listing page: keys of {@code prefix.bucket()} starting with {@code prefix.key()}; see {@link
   * LedgerClient#list} for the other parameters.
   */
  ListPage list(ObjectPath prefix, String delimiter, String startAfter, int limit);

  /** Forgets {@code path} and every cached listing that could show it. */
  void invalidate(ObjectPath path);

  /**
   * Forgets every key under {@code prefix} and every listing that could show one (a folder rename
   * or delete).
   */
  void invalidatePrefix(ObjectPath prefix);

  /** Forgets everything. */
  void invalidateAll();
}
