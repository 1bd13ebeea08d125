package org.deoss.transfer.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.junit.jupiter.api.Test;

class MinerPoolTest {
  private final AtomicLong clock = new AtomicLong();

  private static FragmentStoreException failure(CompletableFuture<?> f) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    return assertInstanceOf(FragmentStoreException.class, e.getCause());
  }

  private static InetSocketAddress deadEndpoint() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return new InetSocketAddress("127.0.0.1", s.getLocalPort());
    }
  }

  @Test
  void store_connectsOnFirstUse_andServesRequests() throws Exception {
    try (TestMiner miner = new TestMiner(4 << 20);
        MinerPool pool =
            new MinerPool(
                miner.clientGroup,
                miner.clientKeys,
                ClientOptions.defaults(),
                TestMiner.RANDOM,
                clock::get)) {
      assertEquals(MinerPool.Health.UNKNOWN, pool.health(miner.minerKeys.id()));
      FragmentStore store = pool.store(miner.minerKeys.id(), miner.address);
      byte[] data = new byte[5000];
      Hash256 id = FragmentMerkle.root(data, 0, data.length);
      store.put(id, ByteBuffer.wrap(data)).get(30, TimeUnit.SECONDS);
      byte[] back = new byte[5000];
      pool.store(miner.minerKeys.id(), miner.address).get(id).get(30, TimeUnit.SECONDS).get(back);
      assertArrayEquals(data, back);
      assertEquals(MinerPool.Health.UP, pool.health(miner.minerKeys.id()));
    }
  }

  @Test
  void deadMiner_isMarkedDown_skippedQuickly_andRetriedAfterBackoff() throws Exception {
    AccountKeys minerKeys = AccountKeys.generate(TestMiner.RANDOM);
    try (TestMiner any = new TestMiner(1 << 20);
        MinerPool pool =
            new MinerPool(
                any.clientGroup,
                any.clientKeys,
                ClientOptions.defaults().withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8)),
                TestMiner.RANDOM,
                clock::get)) {
      FragmentStore store = pool.store(minerKeys.id(), deadEndpoint());
      FragmentStoreException first = failure(store.has(Hash256.ZERO));
      assertEquals(Reason.UNAVAILABLE, first.reason());
      assertTrue(first.getMessage().contains("cannot connect"), first.getMessage());
      assertEquals(MinerPool.Health.DOWN, pool.health(minerKeys.id()));

      FragmentStoreException skipped = failure(store.has(Hash256.ZERO));
      assertTrue(
          skipped.getMessage().contains("marked down for another 1000 ms"), skipped.getMessage());

      clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
      FragmentStoreException retried = failure(store.has(Hash256.ZERO));
      assertTrue(
          retried.getMessage().contains("cannot connect"),
          "a new attempt after the backoff: " + retried.getMessage());
      FragmentStoreException doubled = failure(store.has(Hash256.ZERO));
      assertTrue(
          doubled.getMessage().contains("marked down for another 2000 ms"), doubled.getMessage());
    }
  }
}
