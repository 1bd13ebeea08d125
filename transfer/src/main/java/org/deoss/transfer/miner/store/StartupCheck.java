package org.deoss.transfer.miner.store;

/** How much a {@link DiskFragmentStore} checks when it opens an existing data folder. */
public enum StartupCheck {
  /**
   * Lists the fragments and their sizes, removes leftover temp files; reads no fragment bytes.
   * Fast: one directory entry and one file attribute read per fragment.
   */
  SCAN,
  /**
   * As {@link #SCAN}, and re-roots every fragment (reads all of its bytes) and moves any whose
   * bytes no longer match its name to {@code quarantine/}. Takes as long as reading the whole store
   * once (SHA-256 runs at several hundred MB/s per core; the disk is usually the limit).
   */
  VERIFY
}
