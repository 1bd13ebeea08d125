package org.deoss.core.pipeline;

import java.util.List;
import org.deoss.core.manifest.ObjectManifest;

/**
 * A stored object: its manifest (ready to commit on the ledger) and the fragments no miner took,
 * which the repair service must rebuild.
 */
public record WriteResult(ObjectManifest manifest, List<MissingFragment> missing) {
  public WriteResult {
    missing = List.copyOf(missing);
  }

  /** Fragment {@code fragment} of segment {@code segment} is not stored anywhere yet. */
  public record MissingFragment(int segment, int fragment) {}
}
