package org.deoss.transfer.client;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.deoss.core.access.KeyDirectory;
import org.deoss.core.account.AccountId;

/**
 * A {@link KeyDirectory} that remembers what the ledger answered for {@code ttlNanos}: an owner's
 * operators and the encryption keys of accounts. Every put asks for the owner's operators, so
 * without it each put costs a ledger query for an answer that almost never changes. The price: an
 * operator authorized (or a key announced) less than the TTL ago may be missed by a put, as a put
 * that raced the authorization by a moment always could; {@link #invalidate} forgets everything at
 * once (after this process changed an authorization). Thread-safe.
 */
final class CachedKeyDirectory implements KeyDirectory {
  private record Entry<T>(T value, long loadedNanos) {}

  private final KeyDirectory source;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final Map<AccountId, Entry<List<AccountId>>> operators = new HashMap<>();
  private final Map<AccountId, Entry<Optional<byte[]>>> keys = new HashMap<>();

  CachedKeyDirectory(KeyDirectory source, long ttlNanos, LongSupplier nanoTime) {
    this.source = Objects.requireNonNull(source, "source");
    if (ttlNanos < 0) {
      throw new IllegalArgumentException("ttlNanos must not be negative, got " + ttlNanos);
    }
    this.ttlNanos = ttlNanos;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  @Override
  public Optional<byte[]> encryptionKey(AccountId account) {
    return cached(keys, account, () -> source.encryptionKey(account)).map(byte[]::clone);
  }

  @Override
  public List<AccountId> authorizations(AccountId owner) {
    return cached(operators, owner, () -> List.copyOf(source.authorizations(owner)));
  }

  /** Forgets every cached answer: the next call of each kind asks the source. */
  synchronized void invalidate() {
    operators.clear();
    keys.clear();
  }

  private <T> T cached(
      Map<AccountId, Entry<T>> map, AccountId account, java.util.function.Supplier<T> load) {
    long now = nanoTime.getAsLong();
    synchronized (this) {
      Entry<T> e = map.get(account);
      if (e != null && now - e.loadedNanos() < ttlNanos) {
        return e.value();
      }
    }
    T value = load.get();
    synchronized (this) {
      map.put(account, new Entry<>(value, now));
    }
    return value;
  }
}
