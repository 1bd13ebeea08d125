package org.deoss.transfer.node;

import java.nio.file.Path;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.LedgerClientContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole port contract, through HTTP: RemoteLedgerClient → LedgerNodeServer → EmbeddedLedger.
 */
class RemoteLedgerClientContractTest extends LedgerClientContract {
  @TempDir Path dir;
  private NodeFixture node;

  @Override
  protected LedgerClient open(Genesis genesis) throws Exception {
    node = new NodeFixture(dir, genesis);
    return node.client(options());
  }

  /** The client's options (the default ones here). */
  RemoteLedgerClient.Options options() {
    return RemoteLedgerClient.Options.defaults();
  }

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }
}
