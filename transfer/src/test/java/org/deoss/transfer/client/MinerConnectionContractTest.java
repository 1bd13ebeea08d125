package org.deoss.transfer.client;

import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.FragmentStoreContract;
import org.junit.jupiter.api.AfterEach;

/** A {@link MinerConnection} to a real server on loopback keeps the whole store contract. */
class MinerConnectionContractTest extends FragmentStoreContract {
  private TestMiner miner;
  private MinerConnection connection;

  @Override
  protected FragmentStore newStore() throws Exception {
    miner = new TestMiner(4L << 20);
    connection = miner.connect();
    return connection;
  }

  @AfterEach
  void tearDown() {
    connection.close();
    miner.close();
  }
}
