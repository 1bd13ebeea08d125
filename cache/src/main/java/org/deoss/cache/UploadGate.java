package org.deoss.cache;

import java.time.Duration;

/**
 * Decides when an upload that waited its flush delay after the last close may start. Uploads take
 * CPU (encryption, erasure coding, signing) and the ledger's and miners' time; a mount that is busy
 * answering calls (a create loop, rsync) keeps its answers fast by holding them back for a while.
 * Only that delayed start is gated: fsync, an explicit flush, a drain and the dirty-bytes bound
 * never wait for it.
 *
 * <p>Called on the cache's timer and upload threads; must be thread-safe and must not block.
 */
public interface UploadGate {

  /**
   * How long to hold an upload back before asking again, or {@link Duration#ZERO} to start it now.
   *
   * @param waited how long the upload has been held back already (zero on the first question)
   */
  Duration holdFor(Duration waited);

  /** Starts every upload at once (no gate). */
  static UploadGate open() {
    return waited -> Duration.ZERO;
  }
}
