package org.deoss.transfer.node;

import java.nio.file.Path;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.LedgerClientContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole port contract through HTTP with batched posts on: a signer's transactions that queue
 * behind a post in flight go together in {@code POST /v1/transactions/batch}.
 */
class RemoteLedgerClientBatchedContractTest extends LedgerClientContract {
  @TempDir Path dir;
  private NodeFixture node;

  @Override
  protected LedgerClient open(Genesis genesis) throws Exception {
    node = new NodeFixture(dir, genesis);
    return node.client(RemoteLedgerClient.Options.defaults().withBatchedPosts(true));
  }

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }
}
