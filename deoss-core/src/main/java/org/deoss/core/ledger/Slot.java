package org.deoss.core.ledger;

import org.deoss.core.manifest.ObjectId;

/** Where a fragment sits in the ledger: object, segment, position. Ordered by those three. */
record Slot(ObjectId objectId, int segment, int fragment) implements Comparable<Slot> {
  @Override
  public int compareTo(Slot o) {
    int c = objectId.compareTo(o.objectId);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(segment, o.segment);
    return c != 0 ? c : Integer.compare(fragment, o.fragment);
  }
}
