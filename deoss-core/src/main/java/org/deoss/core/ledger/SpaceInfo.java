package org.deoss.core.ledger;

/** An account's storage space: purchased and used bytes, the paid period, and its state. */
public record SpaceInfo(
    long purchasedBytes, long usedBytes, long startMillis, long deadlineMillis, SpaceState state) {
  /** Bytes still free for puts (0 unless ACTIVE). */
  public long freeBytes() {
    return state == SpaceState.ACTIVE ? Math.max(0, purchasedBytes - usedBytes) : 0;
  }
}
