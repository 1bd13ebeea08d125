package org.deoss.transfer.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;
import org.deoss.core.ledger.LedgerRejection.Reason;
import org.junit.jupiter.api.Test;

/** Every row of the reason → status table. */
class RejectionStatusTest {
  private static final Set<Reason> FORBIDDEN =
      EnumSet.of(Reason.BAD_SIGNATURE, Reason.NOT_AUTHORIZED);
  private static final Set<Reason> CONFLICT =
      EnumSet.of(
          Reason.BAD_NONCE,
          Reason.VERSION_CONFLICT,
          Reason.BUCKET_EXISTS,
          Reason.OBJECT_EXISTS,
          Reason.ALREADY_AUTHORIZED,
          Reason.MINER_EXISTS,
          Reason.OBJECT_ID_IN_USE,
          Reason.SPACE_ALREADY_PURCHASED);

  @Test
  void everyReason_hasItsStatus_onSubmitAndOnQuery() {
    for (Reason r : Reason.values()) {
      boolean noSuch = r.name().startsWith("NO_SUCH_");
      int submit = FORBIDDEN.contains(r) ? 403 : CONFLICT.contains(r) ? 409 : 422;
      int query = noSuch ? 404 : submit;
      assertEquals(submit, RejectionStatus.of(r, false).code(), r + " on submit");
      assertEquals(query, RejectionStatus.of(r, true).code(), r + " on a query");
    }
  }
}
