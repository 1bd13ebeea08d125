package org.deoss.core.hash;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The object content id (fid), computed from the segment hashes exactly as CESS does, so equal
 * content gives an equal fid on both networks.
 *
 * <p>The rule: a binary Merkle tree over the raw 32-byte segment hashes in object order. Each level
 * pairs neighbours into SHA-256(left ‖ right); an odd last element is paired with itself, SHA-256(x
 * ‖ x); levels repeat until one hash remains. A single segment therefore gives SHA-256(h ‖ h).
 * There is no leaf or node prefix (unlike {@link FragmentMerkle}): this is for compatibility, not
 * an audit structure.
 */
public final class Fid {
  private Fid() {}

  /**
   * The fid of an object whose segments hash to {@code segmentHashes}, in order.
   *
   * @throws IllegalArgumentException if the list is empty
   * @throws NullPointerException if the list or an element is null
   */
  public static Hash256 of(List<Hash256> segmentHashes) {
    List<Hash256> level = List.copyOf(segmentHashes);
    if (level.isEmpty()) {
      throw new IllegalArgumentException("a fid needs at least one segment hash, got none");
    }
    MessageDigest md = Hash256.newDigest();
    do {
      List<Hash256> next = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i < level.size(); i += 2) {
        Hash256 left = level.get(i);
        Hash256 right = i + 1 < level.size() ? level.get(i + 1) : left;
        left.updateDigest(md);
        right.updateDigest(md);
        next.add(Hash256.wrapDigest(md));
      }
      level = next;
    } while (level.size() > 1);
    return level.get(0);
  }
}
