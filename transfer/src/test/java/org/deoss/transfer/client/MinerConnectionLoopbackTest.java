package org.deoss.transfer.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.ForwardingFragmentStore;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.deoss.core.port.InMemoryFragmentStore;
import org.deoss.transfer.miner.server.Admission;
import org.deoss.transfer.miner.server.DeletionPolicy;
import org.deoss.transfer.miner.server.MinerServerOptions;
import org.junit.jupiter.api.Test;

class MinerConnectionLoopbackTest {
  private static final long SEED = 20261124;

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static Hash256 id(byte[] data) {
    return FragmentMerkle.root(data, 0, data.length);
  }

  private static byte[] array(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private static FragmentStoreException failure(CompletableFuture<?> f) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    return assertInstanceOf(FragmentStoreException.class, e.getCause());
  }

  @Test
  void concurrentPutsAndGets_multiplexOnOneConnection() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    try (TestMiner miner = new TestMiner(256L << 20);
        MinerConnection c = miner.connect()) {
      List<byte[]> data = new ArrayList<>();
      List<CompletableFuture<Void>> puts = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        byte[] d = bytes(random, random.nextInt(0, 1 << 20));
        data.add(d);
        puts.add(c.put(id(d), ByteBuffer.wrap(d)));
      }
      CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      List<CompletableFuture<ByteBuffer>> gets = new ArrayList<>();
      for (byte[] d : data) {
        gets.add(c.get(id(d)));
      }
      for (int i = 0; i < data.size(); i++) {
        assertArrayEquals(
            data.get(i),
            array(gets.get(i).get(60, TimeUnit.SECONDS)),
            "fragment " + i + ", seed " + SEED);
      }
      assertEquals(64, c.stats().get().fragments());
    }
  }

  @Test
  void sixteenMiBFragment_streamsBothWays() throws Exception {
    byte[] d = bytes(new SplittableRandom(SEED), 16 << 20);
    try (TestMiner miner = new TestMiner(64L << 20);
        MinerConnection c = miner.connect()) {
      c.put(id(d), ByteBuffer.wrap(d)).get(60, TimeUnit.SECONDS);
      assertArrayEquals(d, array(c.get(id(d)).get(60, TimeUnit.SECONDS)));
      byte[] range = array(c.get(id(d), (8 << 20) + 3, 1 << 20).get(60, TimeUnit.SECONDS));
      assertArrayEquals(java.util.Arrays.copyOfRange(d, (8 << 20) + 3, (9 << 20) + 3), range);
    }
  }

  @Test
  void put_withWrongId_isHashMismatch_andNothingIsStored() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    try (TestMiner miner = new TestMiner(16L << 20);
        MinerConnection c = miner.connect()) {
      byte[] d = bytes(random, 3 << 20);
      Hash256 wrong = id(bytes(random, 10));
      assertEquals(Reason.HASH_MISMATCH, failure(c.put(wrong, ByteBuffer.wrap(d))).reason());
      assertEquals(0, miner.store.stats().get().fragments());
      assertTrue(c.isOpen());
    }
  }

  @Test
  void prove_givesProofsTheClientCanVerify() throws Exception {
    byte[] d = bytes(new SplittableRandom(SEED), 100_000);
    try (TestMiner miner = new TestMiner(16L << 20);
        MinerConnection c = miner.connect()) {
      c.put(id(d), ByteBuffer.wrap(d)).get(30, TimeUnit.SECONDS);
      List<FragmentMerkle.Proof> proofs = c.prove(id(d), 0, 50, 97).get(30, TimeUnit.SECONDS);
      assertEquals(3, proofs.size());
      for (FragmentMerkle.Proof p : proofs) {
        assertTrue(p.verify(id(d)));
      }
    }
  }

  @Test
  void connect_toAnotherMinerThanExpected_fails() throws Exception {
    try (TestMiner miner = new TestMiner(1 << 20)) {
      AccountKeys other = AccountKeys.generate(TestMiner.RANDOM);
      CompletableFuture<MinerConnection> f =
          MinerConnection.connect(
              miner.clientGroup,
              miner.address,
              other.id(),
              miner.clientKeys,
              ClientOptions.defaults(),
              TestMiner.RANDOM);
      FragmentStoreException e = failure(f);
      assertEquals(Reason.PROTOCOL, e.reason());
      assertTrue(e.getMessage().contains(other.id().toString()), e.getMessage());
    }
  }

  @Test
  void connect_whenNotAdmitted_fails() throws Exception {
    try (TestMiner miner =
        new TestMiner(
            new InMemoryFragmentStore(1 << 20),
            MinerServerOptions.defaults("127.0.0.1", 0),
            account -> false,
            DeletionPolicy.ALWAYS)) {
      FragmentStoreException e =
          failure(
              MinerConnection.connect(
                  miner.clientGroup,
                  miner.address,
                  miner.minerKeys.id(),
                  miner.clientKeys,
                  ClientOptions.defaults(),
                  TestMiner.RANDOM));
      assertEquals(Reason.PROTOCOL, e.reason());
      assertTrue(e.getMessage().contains("AUTH_FAILED"), e.getMessage());
    }
  }

  @Test
  void request_toAStoreThatNeverAnswers_timesOut() throws Exception {
    InMemoryFragmentStore real = new InMemoryFragmentStore(1 << 20);
    FragmentStore stuck =
        new ForwardingFragmentStore(real) {
          @Override
          public CompletableFuture<Boolean> has(Hash256 hash) {
            return new CompletableFuture<>(); // never answers
          }
        };
    try (TestMiner miner =
            new TestMiner(
                stuck,
                MinerServerOptions.defaults("127.0.0.1", 0),
                Admission.ANYONE,
                DeletionPolicy.ALWAYS);
        MinerConnection c =
            miner.connect(ClientOptions.defaults().withRequestTimeout(Duration.ofSeconds(1)))) {
      FragmentStoreException e = failure(c.has(Hash256.ZERO));
      assertEquals(Reason.UNAVAILABLE, e.reason());
      assertTrue(
          c.stats().get(30, TimeUnit.SECONDS).capacityBytes() > 0, "connection still usable");
    }
  }

  @Test
  void serverStopped_failsOutstandingAndLaterRequestsWithUnavailable() throws Exception {
    try (TestMiner miner = new TestMiner(1 << 20);
        MinerConnection c = miner.connect()) {
      miner.server.stop();
      c.closed().get(30, TimeUnit.SECONDS);
      assertFalse(c.isOpen());
      assertEquals(Reason.UNAVAILABLE, failure(c.has(Hash256.ZERO)).reason());
    }
  }

  @Test
  void putsBeyondTheMinersWindow_waitOnTheClient_andAllSucceed() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    MinerServerOptions small =
        MinerServerOptions.defaults("127.0.0.1", 0).withLimits(1 << 20, 64 << 10, 1 << 20, 1 << 20);
    try (TestMiner miner =
            new TestMiner(
                new InMemoryFragmentStore(64L << 20),
                small,
                Admission.ANYONE,
                DeletionPolicy.ALWAYS);
        MinerConnection c = miner.connect()) {
      List<CompletableFuture<Void>> puts = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        byte[] d = bytes(random, 600_000);
        puts.add(c.put(id(d), ByteBuffer.wrap(d)));
      }
      for (CompletableFuture<Void> p : puts) {
        p.get(60, TimeUnit.SECONDS);
      }
      assertEquals(12, miner.store.stats().get().fragments());
    }
  }
}
