package org.deoss.core.manifest;

import java.util.List;
import java.util.Objects;
import org.deoss.core.hash.Hash256;

/**
 * One segment of an object: its index, plaintext and encrypted lengths, the SHA-256 of its
 * encrypted bytes (the leaf of the fid), and its n fragments in code order.
 */
public record SegmentRef(
    int index, int plainLength, int encryptedLength, Hash256 hash, List<FragmentRef> fragments) {
  public SegmentRef {
    if (index < 0) {
      throw new IllegalArgumentException("segment index must not be negative, got " + index);
    }
    if (plainLength < 0 || encryptedLength < plainLength) {
      throw new IllegalArgumentException(
          "segment "
              + index
              + ": bad lengths plain="
              + plainLength
              + " encrypted="
              + encryptedLength);
    }
    Objects.requireNonNull(hash, "hash");
    fragments = List.copyOf(fragments);
    for (int i = 0; i < fragments.size(); i++) {
      if (fragments.get(i).index() != i) {
        throw new IllegalArgumentException(
            "segment "
                + index
                + ": fragment at position "
                + i
                + " has index "
                + fragments.get(i).index());
      }
    }
  }
}
