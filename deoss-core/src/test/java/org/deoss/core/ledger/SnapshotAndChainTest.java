package org.deoss.core.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.codec.CodecException;
import org.junit.jupiter.api.Test;

class SnapshotAndChainTest {

  /** Drives a seeded mix of calls, some of them refused, over many blocks. */
  static List<Block> randomWorkload(Fixture f, long seed, int blocks) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Block> produced = new ArrayList<>();
    List<AccountKeys> users = List.of(f.alice, f.bob, f.carol);
    for (int b = 0; b < blocks; b++) {
      List<SignedTransaction> txs = new ArrayList<>();
      long[] nonces = new long[3];
      for (int u = 0; u < 3; u++) {
        nonces[u] = f.state.nextNonce(users.get(u).id());
      }
      int n = rnd.nextInt(6);
      for (int i = 0; i < n; i++) {
        int u = rnd.nextInt(3);
        AccountKeys k = users.get(u);
        String key = "d" + rnd.nextInt(3) + "/k" + rnd.nextInt(20);
        Call c =
            switch (rnd.nextInt(9)) {
              case 0 -> new Call.Transfer(users.get(rnd.nextInt(3)).id(), 1 + rnd.nextInt(1000));
              case 1 -> new Call.CreateBucket(k.id(), "b" + rnd.nextInt(3) + "x");
              case 2, 3, 4 -> f.put(k, "b" + rnd.nextInt(3) + "x", key, rnd.nextInt(3000));
              case 5 -> new Call.DeleteObject(k.id(), "b0x", key);
              case 6 -> new Call.RenameObject(k.id(), "b1x", key, "r/" + key, rnd.nextBoolean());
              case 7 ->
                  new Call.RenamePrefix(
                      k.id(), "b2x", "d" + rnd.nextInt(3) + "/", "m" + rnd.nextInt(9) + "/");
              default -> new Call.Heartbeat(5);
            };
        // Some nonces are wrong on purpose: those transactions are refused.
        long nonce = rnd.nextInt(10) == 0 ? nonces[u] + 3 : nonces[u];
        SignedTransaction tx = Fixture.unsigned(k.id(), nonce, c);
        txs.add(tx);
        if (nonce == nonces[u]) {
          nonces[u]++;
        }
      }
      if (rnd.nextInt(10) == 0) {
        txs.add(
            Fixture.unsigned(
                f.miners.get(rnd.nextInt(12)).id(),
                f.state.nextNonce(f.miners.get(0).id()),
                new Call.Heartbeat(1)));
      }
      f.advance(rnd.nextInt(120_000));
      BlockResult r = f.block(txs);
      produced.add(r.block());
    }
    return produced;
  }

  private static Fixture workloadFixture() {
    Fixture f = new Fixture(b -> b.audits(3, 2, 3, 4, 2).offlineAfterMillis(600_000));
    for (AccountKeys k : List.of(f.alice, f.bob, f.carol)) {
      f.buySpace(k, 1, 30);
    }
    f.registerMiners();
    return f;
  }

  @Test
  void snapshot_restore_continuesIdentically() {
    long seed = 2024;
    Fixture f = workloadFixture();
    randomWorkload(f, seed, 150);
    byte[] snap = f.state.snapshot();
    LedgerState restored = LedgerState.restore(f.genesis, snap);
    assertArrayEquals(snap, restored.snapshot(), "seed " + seed);
    assertEquals(f.state.head(), restored.head());
    // Continue both with the same blocks.
    Fixture g = workloadFixture();
    g.state = restored;
    g.now = f.now;
    List<Block> more = randomWorkload(f, seed + 1, 150);
    for (Block b : more) {
      restored.replayBlock(b);
    }
    assertArrayEquals(f.state.snapshot(), restored.snapshot(), "seed " + seed);
    assertEquals(f.state.head(), restored.head());
    assertFalse(f.state.buckets(f.alice.id()).isEmpty(), "the workload created buckets");
  }

  @Test
  void replay_ofProducedBlocks_reachesTheSameState() {
    Fixture f = workloadFixture();
    byte[] start = f.state.snapshot();
    List<Block> blocks = randomWorkload(f, 99, 200);
    LedgerState replica = LedgerState.restore(f.genesis, start);
    for (Block b : blocks) {
      Block decoded = Block.decode(b.encode());
      assertEquals(b.hash(), decoded.hash());
      replica.replayBlock(decoded);
    }
    assertArrayEquals(f.state.snapshot(), replica.snapshot());
  }

  @Test
  void blocks_areHashChained() {
    Fixture f = new Fixture();
    Hash256 parent = f.genesis.hash();
    assertEquals(parent, f.state.head().hash());
    for (int i = 1; i <= 5; i++) {
      f.advance(1000);
      BlockResult r = f.block(List.of(f.sign(f.alice, new Call.Transfer(f.bob.id(), i))));
      assertEquals(i, r.block().height());
      assertEquals(parent, r.block().parent());
      assertEquals(r.header().hash(), f.state.head().hash());
      assertEquals(r.header(), f.state.blockHeader(i).orElseThrow());
      parent = r.header().hash();
    }
    assertTrue(f.state.blockHeader(6).isEmpty());
  }

  @Test
  void replay_refusesABlockThatDoesNotFollowTheHead() {
    Fixture f = new Fixture();
    BlockResult r1 = f.block(List.of(f.sign(f.alice, new Call.Faucet())));
    LedgerState fresh = LedgerState.genesis(f.genesis);
    Block wrongParent = new Block(1, Hash256.ZERO, r1.block().timeMillis(), r1.block().txs());
    assertThrows(IllegalStateException.class, () -> fresh.replayBlock(wrongParent));
    fresh.replayBlock(r1.block());
    // Replaying the same block again: wrong height.
    assertThrows(IllegalStateException.class, () -> fresh.replayBlock(r1.block()));
  }

  @Test
  void replay_refusesATransactionTheStateRejects() {
    Fixture f = new Fixture();
    LedgerState fresh = LedgerState.genesis(f.genesis);
    Block bad =
        new Block(
            1,
            f.genesis.hash(),
            Fixture.T0,
            List.of(Fixture.unsigned(f.alice.id(), 7, new Call.Faucet())));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> fresh.replayBlock(bad));
    assertTrue(e.getMessage().contains("BAD_NONCE"), e.getMessage());
  }

  @Test
  void rejectedTransactions_areLeftOutOfTheBlock() {
    Fixture f = new Fixture();
    SignedTransaction good = f.sign(f.alice, new Call.Faucet());
    SignedTransaction bad = Fixture.unsigned(f.bob.id(), 9, new Call.Faucet());
    BlockResult r = f.block(List.of(bad, good));
    assertEquals(List.of(good), r.block().txs());
    assertTrue(r.outcomes().get(0) instanceof LedgerRejection);
    Receipt receipt = (Receipt) r.outcomes().get(1);
    assertEquals(0, receipt.txIndex());
    assertEquals(good.hash(), receipt.txHash());
    assertEquals(r.header().hash(), receipt.blockHash());
  }

  @Test
  void restore_refusesAnotherGenesisAndTrailingBytes() {
    Fixture f = new Fixture();
    byte[] snap = f.state.snapshot();
    Genesis other = Genesis.builder("other").build();
    CodecException e = assertThrows(CodecException.class, () -> LedgerState.restore(other, snap));
    assertTrue(e.getMessage().contains("genesis"), e.getMessage());
    byte[] longer = java.util.Arrays.copyOf(snap, snap.length + 1);
    assertThrows(CodecException.class, () -> LedgerState.restore(f.genesis, longer));
  }

  @Test
  void block_decode_refusesTrailingBytes() {
    Fixture f = new Fixture();
    byte[] b = f.block(List.of(f.sign(f.alice, new Call.Faucet()))).block().encode();
    byte[] longer = java.util.Arrays.copyOf(b, b.length + 1);
    assertThrows(CodecException.class, () -> Block.decode(longer));
  }
}
