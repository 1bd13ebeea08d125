package org.deoss.core.ledger;

import java.util.List;

/**
 * One page of a listing: the objects and the common prefixes (folders) in key order, and the token
 * to pass as {@code startAfter} for the next page, or null when the listing is complete.
 */
public record ListPage(List<ObjectRecord> objects, List<String> commonPrefixes, String next) {
  public ListPage {
    objects = List.copyOf(objects);
    commonPrefixes = List.copyOf(commonPrefixes);
  }

  /** Whether more entries follow. */
  public boolean truncated() {
    return next != null;
  }
}
