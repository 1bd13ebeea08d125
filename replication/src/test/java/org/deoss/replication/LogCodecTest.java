package org.deoss.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.junit.jupiter.api.Test;

class LogCodecTest {
  @Test
  void entry_roundTrips_timeAndTransactionsInOrder() {
    List<SignedTransaction> txs =
        List.of(Accounts.transfer(1, 0, 2, 5), Accounts.transfer(2, 0, 1, 7));
    LogCodec.Entry e =
        LogCodec.decodeEntry(LogCodec.encodeEntry(new LogCodec.Entry(123_456L, txs)));
    assertEquals(123_456L, e.timeMillis());
    assertEquals(txs, e.txs());
    assertEquals(txs, LogCodec.decodeRequest(LogCodec.encodeRequest(txs)));
  }

  @Test
  void reply_roundTrips_receiptsAndRejections() {
    Receipt r =
        new Receipt(Hash256.digest(new byte[] {1}), 9, Hash256.digest(new byte[] {2}), 3, 4);
    LedgerRejection j =
        new LedgerRejection(LedgerRejection.Reason.BAD_NONCE, "nonce 3, expected 4");
    LogCodec.Reply back =
        LogCodec.decodeReply(LogCodec.encodeReply(new LogCodec.Reply(9, List.of(r, j))));
    assertEquals(9, back.height());
    assertEquals(r, back.outcomes().get(0));
    LedgerRejection j2 = assertInstanceOf(LedgerRejection.class, back.outcomes().get(1));
    assertEquals(LedgerRejection.Reason.BAD_NONCE, j2.reason());
    assertEquals(j.getMessage(), j2.getMessage());
  }

  @Test
  void decodeEntry_ofARequest_isRefused() {
    byte[] request = LogCodec.encodeRequest(List.of());
    assertThrows(IllegalArgumentException.class, () -> LogCodec.decodeEntry(request));
  }
}
