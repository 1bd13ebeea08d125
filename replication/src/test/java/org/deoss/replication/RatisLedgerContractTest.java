package org.deoss.replication;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.LedgerClientContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole port contract against a Ratis group of one: every query and every transaction rule the
 * embedded ledger keeps, the replicated state machine keeps too.
 */
class RatisLedgerContractTest extends LedgerClientContract {
  @TempDir Path dir;
  private RatisLedger ledger;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  protected LedgerClient open(Genesis genesis) throws Exception {
    Peer self = new Peer("solo", "127.0.0.1", freePort());
    ledger =
        RatisLedger.start(
            new RatisLedger.Config(
                self.id(),
                List.of(self),
                dir.resolve("solo"),
                genesis,
                RatisLedger.Options.defaults().withEmptyBlockAfterMillis(0)));
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!ledger.isLeader()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("a group of one elected no leader in 30 s");
      }
      Thread.sleep(20);
    }
    return ledger;
  }

  @Override
  protected boolean replayAnswersTheFirstReceipt() {
    return true; // a client that retries on another node must get the receipt, not a rejection
  }

  @AfterEach
  void stopLedger() {
    if (ledger != null) {
      ledger.close();
    }
  }
}
