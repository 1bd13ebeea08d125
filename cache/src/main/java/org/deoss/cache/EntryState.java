package org.deoss.cache;

import java.util.EnumSet;
import java.util.Set;

/**
 * The state of a write-back cache entry (one object being written through the cache).
 *
 * <pre>
 *            write, truncate,
 *            set attributes
 *   CLEAN ─────────────────────▶ DIRTY ◀──────────────┐
 *     ▲                            │                   │ write, truncate,
 *     │                            │ flush starts      │ set attributes
 *     │      committed on          ▼                   │
 *     └───────── the ledger ──── FLUSHING ──────────▶ FAILED
 *                                  ▲      upload or      │
 *                                  │      commit failed  │
 *                                  └─────────────────────┘
 *                                     retry (backoff, fsync)
 * </pre>
 *
 * While an entry is FLUSHING its bytes and attributes are frozen: writers to that entry wait for
 * the flush to end (reads go on). A CLEAN entry with no open handle leaves the cache and its
 * staging file is deleted; an entry in any other state keeps its staging file and journal record.
 */
public enum EntryState {
  /** Same bytes and attributes as the committed version; nothing to upload. */
  CLEAN,
  /** Changed locally, not yet uploaded; a flush is due (after close, on fsync or backpressure). */
  DIRTY,
  /** Being uploaded and committed. */
  FLUSHING,
  /** The last upload or commit failed; the staging file is kept and a retry is scheduled. */
  FAILED;

  private Set<EntryState> next;

  static {
    CLEAN.next = EnumSet.of(DIRTY);
    DIRTY.next = EnumSet.of(DIRTY, FLUSHING);
    FLUSHING.next = EnumSet.of(CLEAN, FAILED);
    FAILED.next = EnumSet.of(FLUSHING, DIRTY);
  }

  /** Whether the machine may go from this state to {@code target}. */
  public boolean canMoveTo(EntryState target) {
    return next.contains(target);
  }

  /** Whether the entry holds bytes or attributes not yet committed. */
  public boolean pending() {
    return this != CLEAN;
  }

  /**
   * Checks a transition.
   *
   * @throws IllegalStateException naming both states when the move is not allowed
   */
  EntryState moveTo(EntryState target) {
    if (!canMoveTo(target)) {
      throw new IllegalStateException("cache entry cannot go from " + this + " to " + target);
    }
    return target;
  }
}
