package org.deoss.transfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.Hash256;
import org.deoss.core.placement.Candidate;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.junit.jupiter.api.Test;

class NetworkMinerDirectoryTest {
  @Test
  void candidates_skipDownMiners_andStoresReachListedMiners() throws Exception {
    AccountKeys dead = AccountKeys.generate(TestMiner.RANDOM);
    InetSocketAddress nowhere;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      nowhere = new InetSocketAddress("127.0.0.1", s.getLocalPort());
    }
    try (TestMiner miner = new TestMiner(4 << 20);
        MinerPool pool =
            new MinerPool(
                miner.clientGroup,
                miner.clientKeys,
                ClientOptions.defaults(),
                TestMiner.RANDOM,
                System::nanoTime)) {
      List<MinerEndpoint> registry =
          List.of(
              new MinerEndpoint(miner.minerKeys.id(), miner.address, "z1", 4 << 20),
              new MinerEndpoint(dead.id(), nowhere, "z2", 1 << 20));
      NetworkMinerDirectory dir = new NetworkMinerDirectory(() -> registry, pool);
      assertEquals(2, dir.candidates().size());
      assertEquals(
          4 << 20,
          dir.store(miner.minerKeys.id()).stats().get(30, TimeUnit.SECONDS).capacityBytes());
      assertThrows(
          ExecutionException.class,
          () -> dir.store(dead.id()).has(Hash256.ZERO).get(30, TimeUnit.SECONDS));
      assertEquals(List.of(new Candidate(miner.minerKeys.id(), "z1", 4 << 20)), dir.candidates());

      AccountKeys stranger = AccountKeys.generate(TestMiner.RANDOM);
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () -> dir.store(stranger.id()).has(Hash256.ZERO).get(30, TimeUnit.SECONDS));
      assertEquals(
          Reason.UNAVAILABLE,
          assertInstanceOf(FragmentStoreException.class, e.getCause()).reason());
    }
  }
}
