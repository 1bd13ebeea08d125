package org.deoss.transfer.miner.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.deoss.transfer.protocol.ErrorCode;
import org.deoss.transfer.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

class StoreErrorsTest {
  @Test
  void everyStoreReason_mapsToItsCode_evenWrapped() {
    for (Reason r : Reason.values()) {
      FragmentStoreException e = new FragmentStoreException(r, null, "x");
      assertEquals(ErrorCode.of(r), StoreErrors.toError(e).code());
      assertEquals(r, StoreErrors.toError(new CompletionException(e)).code().reason());
    }
  }

  @Test
  void protocolException_keepsItsCode() {
    assertEquals(
        ErrorCode.DELETE_REFUSED,
        StoreErrors.toError(new ProtocolException(ErrorCode.DELETE_REFUSED, "no")).code());
  }

  @Test
  void rejectedExecution_isUnavailable_andAnythingElseIsIo() {
    assertEquals(
        ErrorCode.UNAVAILABLE, StoreErrors.toError(new RejectedExecutionException()).code());
    assertEquals(ErrorCode.IO, StoreErrors.toError(new IllegalStateException("boom")).code());
  }
}
