package org.deoss.core.ledger;

import java.util.TreeMap;

/** The objects of one bucket, sorted by key; owned by {@link LedgerState}. */
final class BucketState {
  final long createdMillis;
  final TreeMap<String, ObjectRecord> objects = new TreeMap<>();

  BucketState(long createdMillis) {
    this.createdMillis = createdMillis;
  }
}
