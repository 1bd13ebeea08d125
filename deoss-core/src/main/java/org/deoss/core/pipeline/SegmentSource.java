package org.deoss.core.pipeline;

import java.io.IOException;

/** Random access to the plaintext of the segments of an object version being written. */
@FunctionalInterface
public interface SegmentSource {
  /** Reads the {@code length} plaintext bytes of segment {@code index} into {@code buf[0..)}. */
  void read(int index, byte[] buf, int length) throws IOException;
}
