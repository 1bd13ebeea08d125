package org.deoss.transfer.miner.store;

import java.io.IOException;
import java.nio.file.Path;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;

/** The one place that turns an {@link IOException} into a {@link FragmentStoreException}. */
final class Errors {
  private Errors() {}

  /**
   * {@link Reason#CAPACITY_EXCEEDED} when the disk is full (the JDK reports ENOSPC as an {@code
   * IOException} whose message reads "No space left on device"), {@link Reason#IO} otherwise; the
   * message names the operation, the fragment (in the exception) and the path.
   */
  static FragmentStoreException io(Hash256 id, String operation, Path path, IOException e) {
    if (isDiskFull(e)) {
      return new FragmentStoreException(
          Reason.CAPACITY_EXCEEDED,
          id,
          "disk full while " + operation + " " + path + " (" + e.getMessage() + ")",
          e);
    }
    return new FragmentStoreException(Reason.IO, id, operation + " " + path + " failed: " + e, e);
  }

  static boolean isDiskFull(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }
}
