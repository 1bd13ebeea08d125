package org.deoss.core.pipeline;

/** Told how many plaintext bytes a transfer has finished so far; called from pipeline threads. */
@FunctionalInterface
public interface ProgressListener {
  /** A listener that ignores progress. */
  ProgressListener NONE = done -> {};

  /** {@code bytesDone} plaintext bytes are stored (writes) or delivered (reads). */
  void progress(long bytesDone);
}
