package org.deoss.transfer.miner.server;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.transfer.protocol.ErrorCode;
import org.deoss.transfer.protocol.Messages.ErrorMessage;
import org.deoss.transfer.protocol.ProtocolException;

/** The one table from a failure inside the miner to the ERROR frame sent for it. */
final class StoreErrors {
  private StoreErrors() {}

  static ErrorMessage toError(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof FragmentStoreException f) {
      return new ErrorMessage(ErrorCode.of(f.reason()), f.getMessage());
    }
    if (e instanceof ProtocolException p) {
      return new ErrorMessage(p.code(), p.getMessage());
    }
    if (e instanceof RejectedExecutionException) {
      return new ErrorMessage(ErrorCode.UNAVAILABLE, "the miner is shutting down or overloaded");
    }
    return new ErrorMessage(ErrorCode.IO, "internal error: " + e);
  }
}
