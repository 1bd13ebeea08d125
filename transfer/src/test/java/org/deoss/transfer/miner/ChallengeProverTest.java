package org.deoss.transfer.miner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Challenge;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.MinerStatus;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.ledger.PutCondition;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.pipeline.ObjectWriter;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.placement.Candidate;
import org.deoss.core.placement.Placement;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.InMemoryLedger;
import org.deoss.core.port.MinerDirectory;
import org.deoss.core.port.TxBuilder;
import org.deoss.transfer.miner.store.DiskFragmentStore;
import org.deoss.transfer.miner.store.DiskStoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChallengeProverTest {
  @TempDir Path root;

  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final AccountKeys alice = keys(1);
  private final AccountKeys miner = keys(2);
  private InMemoryLedger ledger;
  private DiskFragmentStore store;

  private static AccountKeys keys(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    seed[31] = 3;
    return AccountKeys.fromSeed(seed);
  }

  /** One miner holding every fragment of one object; a challenge every block, 2 faults freeze. */
  private void setUp() throws Exception {
    ledger =
        new InMemoryLedger(
            Genesis.builder("prover-test")
                .endow(alice.id(), 100_000 * Genesis.TOKEN)
                .endow(miner.id(), 100_000 * Genesis.TOKEN)
                .audits(1, 1, 3, 2, 2)
                .offlineAfterMillis(1L << 40)
                .build(),
            clock::get);
    store = DiskFragmentStore.open(DiskStoreConfig.of(root.resolve("store"), 1L << 30));
    new TxBuilder(ledger, miner)
        .submitAndWait(new Call.RegisterMiner("127.0.0.1:1", 1L << 40, 4000 * Genesis.TOKEN, "z"));
    TxBuilder a = new TxBuilder(ledger, alice);
    a.submitAndWait(new Call.BuySpace(1, 30));
    a.submitAndWait(new Call.CreateBucket(alice.id(), "bkt"));
    MinerDirectory dir =
        new MinerDirectory() {
          @Override
          public List<Candidate> candidates() {
            return List.of(new Candidate(miner.id(), "z", 1L << 30));
          }

          @Override
          public FragmentStore store(AccountId m) {
            return store;
          }
        };
    SecureRandom secure = new SecureRandom();
    byte[] data = new byte[3 << 20];
    new SplittableRandom(7).nextBytes(data);
    var result =
        new ObjectWriter(
                PipelineConfig.defaults()
                    .withSegmentSize(1 << 20)
                    .withCoding(2, 1)
                    .withSuccessThreshold(3),
                dir,
                Placement.create(2, 1, new SplittableRandom(1)),
                secure)
            .write(
                ObjectId.random(secure),
                DataKey.generate(secure),
                new ByteArrayInputStream(data),
                p -> {});
    a.submitAndWait(
        new Call.PutObject(
            alice.id(),
            "bkt",
            "a",
            result.manifest(),
            PosixAttributes.of(0100644, 0, 0, 1, 1, "", Map.of()),
            Access.none(),
            PutCondition.none()));
  }

  @AfterEach
  void close() throws Exception {
    if (store != null) {
      store.close();
    }
  }

  private Challenge awaitChallenge() {
    for (int i = 0; i < 5 && ledger.challenges().isEmpty(); i++) {
      ledger.tick();
    }
    assertEquals(1, ledger.challenges().size());
    return ledger.challenges().get(0);
  }

  @Test
  void poll_answersTheMinersChallenges_withProofsTheLedgerAccepts() throws Exception {
    setUp();
    ChallengeProver prover =
        new ChallengeProver(miner.id(), ledger, new TxBuilder(ledger, miner), store);
    for (int round = 0; round < 5; round++) {
      Challenge ch = awaitChallenge();
      // The in-memory ledger makes a block per transaction, and every block here challenges.
      assertEquals(1, prover.poll());
      assertTrue(ledger.challenges().stream().noneMatch(c -> c.id() == ch.id()));
    }
    var info = ledger.miner(miner.id()).orElseThrow();
    assertEquals(5, info.proofs());
    assertEquals(0, info.faults());
    assertEquals(MinerStatus.ACTIVE, info.status());
  }

  @Test
  void poll_withDamagedFragments_sendsNoProof_andTheMinerIsFrozen() throws Exception {
    setUp();
    for (Hash256 id : List.copyOf(heldIds())) {
      Path p = findFile(id);
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 100);
      }
    }
    ChallengeProver prover =
        new ChallengeProver(miner.id(), ledger, new TxBuilder(ledger, miner), store);
    for (int i = 0; i < 40; i++) {
      prover.poll();
      ledger.tick();
    }
    var info = ledger.miner(miner.id()).orElseThrow();
    assertEquals(0, info.proofs());
    assertEquals(MinerStatus.FROZEN, info.status());
  }

  private List<Hash256> heldIds() {
    return ledger.object(alice.id(), "bkt", "a").orElseThrow().manifest().segments().stream()
        .flatMap(s -> s.fragments().stream())
        .map(f -> f.hash())
        .toList();
  }

  private Path findFile(Hash256 id) throws Exception {
    try (var files = Files.walk(store.root())) {
      return files
          .filter(p -> p.getFileName().toString().contains(id.toHex()))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no file for " + id));
    }
  }
}
