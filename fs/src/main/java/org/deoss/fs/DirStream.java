package org.deoss.fs;

import java.util.ArrayList;
import java.util.List;

/**
 * The entries of one open folder, served by position so that readdir can continue across calls with
 * nonzero offsets. Only one page of entries is held at a time: position {@code i} is found by
 * moving forward page by page (a rewind starts again from the first page), so a folder of 100,000
 * entries never sits in memory at once. Positions 0 and 1 are "." and "..". Thread-safe.
 */
final class DirStream {

  /** Pages of entry names in a stable order; {@link #next} returns null at the end. */
  interface Source {
    List<String> next();

    /** A fresh source starting at the first page again. */
    Source restart();
  }

  private Source source;
  private List<String> window = List.of(".", "..");
  private long windowStart;
  private boolean done;

  DirStream(Source source) {
    this.source = source;
  }

  /** The name at position {@code index}, or null past the end. */
  synchronized String at(long index) {
    if (index < windowStart) {
      source = source.restart();
      window = List.of(".", "..");
      windowStart = 0;
      done = false;
    }
    while (index >= windowStart + window.size()) {
      if (done) {
        return null;
      }
      List<String> page = source.next();
      windowStart += window.size();
      if (page == null) {
        done = true;
        window = List.of();
      } else {
        window = new ArrayList<>(page);
      }
    }
    return window.get((int) (index - windowStart));
  }
}
