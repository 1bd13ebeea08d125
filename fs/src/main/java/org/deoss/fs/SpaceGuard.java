package org.deoss.fs;

import java.time.Clock;
import java.util.function.LongSupplier;
import org.deoss.core.account.AccountId;
import org.deoss.core.ledger.SpaceInfo;
import org.deoss.core.port.LedgerClient;

/**
 * The account's space, asked of the ledger at most once a second, and the check that refuses writes
 * with ENOSPC once the purchased space is used up, counting the bytes still waiting in the
 * write-back cache (sampled with the space, so a write costs no extra work).
 */
final class SpaceGuard {
  private static final long REFRESH_MILLIS = 1000;
  private final LedgerClient ledger;
  private final AccountId account;
  private final LongSupplier pendingBytes;
  private final Clock clock;
  private SpaceInfo info;
  private long pending;
  private long fetchedAt;

  SpaceGuard(LedgerClient ledger, AccountId account, LongSupplier pendingBytes, Clock clock) {
    this.ledger = ledger;
    this.account = account;
    this.pendingBytes = pendingBytes;
    this.clock = clock;
  }

  synchronized SpaceInfo info() {
    refresh();
    return info;
  }

  private void refresh() {
    long now = clock.millis();
    if (info == null || now - fetchedAt >= REFRESH_MILLIS) {
      info = ledger.account(account).space();
      pending = pendingBytes.getAsLong();
      fetchedAt = now;
    }
  }

  /**
   * Refuses with ENOSPC when {@code more} bytes on top of those waiting to upload would not fit in
   * the account's free space.
   */
  synchronized void check(long more, Object path) throws FsException {
    refresh();
    long free = info.freeBytes();
    if (free <= 0 || more + pending > free) {
      throw Errno.noSpace(
          "no space left for "
              + path
              + ": "
              + free
              + " bytes free of "
              + info.purchasedBytes()
              + " purchased (space "
              + info.state()
              + "), "
              + pending
              + " bytes waiting to upload");
    }
  }
}
