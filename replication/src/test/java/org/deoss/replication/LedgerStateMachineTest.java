package org.deoss.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.LedgerState;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.junit.jupiter.api.Test;

/** The adapter without a Raft server: entries applied directly, snapshots compared. */
class LedgerStateMachineTest {
  private static LedgerStateMachine machine() {
    return new LedgerStateMachine(Accounts.genesis(), () -> Accounts.T0, 1000);
  }

  @Test
  void apply_sameEntriesOnTwoReplicas_giveTheSameChainAndState() {
    long seed = new SplittableRandom().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    LedgerStateMachine a = machine();
    LedgerStateMachine b = machine();
    long[] nonces = new long[5];
    for (int block = 0; block < 20; block++) {
      int n = random.nextInt(0, 5);
      List<SignedTransaction> txs = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        int from = random.nextInt(1, 5);
        int to = random.nextInt(1, 5);
        txs.add(Accounts.transfer(from, nonces[from]++, to, random.nextLong(1, 1000)));
      }
      LogCodec.Entry e = new LogCodec.Entry(Accounts.T0 + 6_000L * block, txs);
      LogCodec.Reply ra = a.apply(e, null);
      LogCodec.Reply rb = b.apply(e, null);
      assertEquals(ra.height(), rb.height(), "seed " + seed);
    }
    assertEquals(a.view().head(), b.view().head(), "seed " + seed);
    assertArrayEquals(a.view().snapshot(), b.view().snapshot(), "seed " + seed);
  }

  @Test
  void apply_blockTime_isTheEntrysNotTheReplicasClock() {
    LedgerStateMachine a = machine();
    a.apply(new LogCodec.Entry(Accounts.T0 + 60_000, List.of()), null);
    assertEquals(Accounts.T0 + 60_000, a.view().head().timeMillis());
  }

  @Test
  void apply_aTransactionOrderedTwice_answersItsFirstReceiptAndChangesNothing() {
    LedgerStateMachine a = machine();
    SignedTransaction tx = Accounts.transfer(1, 0, 2, 10);
    Receipt first =
        (Receipt) a.apply(new LogCodec.Entry(Accounts.T0 + 1, List.of(tx)), null).outcomes().get(0);
    long balance = a.view().account(Accounts.keys(2).id()).balance();
    LogCodec.Reply again = a.apply(new LogCodec.Entry(Accounts.T0 + 2, List.of(tx)), null);
    assertEquals(first, again.outcomes().get(0));
    assertEquals(balance, a.view().account(Accounts.keys(2).id()).balance());
    assertEquals(first, a.receipt(tx.hash()).orElseThrow());
  }

  @Test
  void apply_aReplayUnknownToTheMemory_isRefusedByItsNonce() {
    LedgerStateMachine a = new LedgerStateMachine(Accounts.genesis(), () -> Accounts.T0, 1);
    SignedTransaction tx = Accounts.transfer(1, 0, 2, 10);
    a.apply(new LogCodec.Entry(Accounts.T0 + 1, List.of(tx)), null);
    a.apply(new LogCodec.Entry(Accounts.T0 + 2, List.of(Accounts.transfer(3, 0, 2, 1))), null);
    Object out = a.apply(new LogCodec.Entry(Accounts.T0 + 3, List.of(tx)), null).outcomes().get(0);
    assertEquals(
        LedgerRejection.Reason.BAD_NONCE, assertInstanceOf(LedgerRejection.class, out).reason());
  }

  @Test
  void snapshotBytes_restoreTheSameState() {
    LedgerStateMachine a = machine();
    a.apply(new LogCodec.Entry(Accounts.T0 + 1, List.of(Accounts.transfer(1, 0, 2, 10))), null);
    byte[] snap = a.view().snapshot();
    LedgerState restored = LedgerState.restore(Accounts.genesis(), snap);
    assertEquals(a.view().head(), restored.head());
    assertArrayEquals(snap, restored.snapshot());
  }

  @Test
  void awaitHeight_completesWhenTheBlockIsApplied() {
    LedgerStateMachine a = machine();
    var f = a.awaitHeight(2);
    a.apply(new LogCodec.Entry(Accounts.T0 + 1, List.of()), null);
    assertTrue(!f.isDone());
    a.apply(new LogCodec.Entry(Accounts.T0 + 2, List.of()), null);
    assertTrue(f.isDone());
  }
}
