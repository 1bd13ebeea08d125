package org.deoss.transfer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.NoSuchElementException;
import org.deoss.core.access.NotAReaderException;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.LedgerRejection.Reason;
import org.deoss.core.pipeline.ObjectReadException;
import org.deoss.core.pipeline.ObjectWriteException;
import org.deoss.core.placement.NoCapacityException;
import org.deoss.core.port.LedgerUnavailableException;
import org.junit.jupiter.api.Test;

/** Each row of the exception-to-status table. */
class ErrorTableTest {
  private static int status(Throwable e) {
    return ErrorTable.status(e).code();
  }

  @Test
  void gatewayErrors_keepTheirStatus() {
    assertEquals(401, status(GatewayError.unauthorized("x")));
    assertEquals(507, status(new GatewayError(GatewayError.INSUFFICIENT_STORAGE, "x")));
    assertEquals(416, status(new ByteRange.RangeError("x", 3)));
  }

  @Test
  void ledgerRejections_mapByReason() {
    assertEquals(507, status(new LedgerRejection(Reason.NO_SPACE, "x")));
    assertEquals(507, status(new LedgerRejection(Reason.SPACE_EXPIRED, "x")));
    assertEquals(403, status(new LedgerRejection(Reason.NOT_AUTHORIZED, "x")));
    assertEquals(403, status(new LedgerRejection(Reason.BAD_SIGNATURE, "x")));
    assertEquals(404, status(new LedgerRejection(Reason.NO_SUCH_BUCKET, "x")));
    assertEquals(404, status(new LedgerRejection(Reason.NO_SUCH_OBJECT, "x")));
    for (Reason r :
        new Reason[] {
          Reason.BUCKET_EXISTS,
          Reason.OBJECT_EXISTS,
          Reason.BUCKET_NOT_EMPTY,
          Reason.VERSION_CONFLICT,
          Reason.TOO_MANY_BUCKETS
        }) {
      assertEquals(409, status(new LedgerRejection(r, "x")), r.name());
    }
    assertEquals(400, status(new LedgerRejection(Reason.BAD_KEY, "x")));
    String msg = ErrorTable.message(new LedgerRejection(Reason.BUCKET_EXISTS, "photos exists"));
    assertEquals("the ledger refused: BUCKET_EXISTS: photos exists", msg);
  }

  @Test
  void otherExceptions_mapByType() {
    assertEquals(403, status(new NotAReaderException("x")));
    assertEquals(507, status(new NoCapacityException("x")));
    assertEquals(503, status(new LedgerUnavailableException("x")));
    assertEquals(503, status(new ObjectWriteException("x")));
    assertEquals(503, status(new ObjectReadException("x")));
    assertEquals(400, status(new IOException("cut off")));
    assertEquals(404, status(new NoSuchElementException("x")));
    assertEquals(400, status(new IllegalArgumentException("x")));
    assertEquals(500, status(new IllegalStateException("x")));
    assertTrue(ErrorTable.message(new IllegalStateException()).contains("IllegalStateException"));
  }
}
