package org.deoss.core.ledger.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.LedgerClientContract;
import org.deoss.core.port.LedgerUnavailableException;
import org.deoss.core.port.TxBuilder;
import org.junit.jupiter.api.Test;

/** The embedded ledger over a simulated disk: the contract, durability, snapshots, failures. */
class EmbeddedLedgerMemoryTest extends LedgerClientContract {
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private MemoryBlockLog log;

  private EmbeddedLedger.Options options(int snapshotEvery) {
    return new EmbeddedLedger.Options(64, snapshotEvery, clock::get, 0);
  }

  @Override
  protected LedgerClient open(Genesis genesis) throws Exception {
    log = new MemoryBlockLog();
    return EmbeddedLedger.open(log, genesis, options(1000));
  }

  private EmbeddedLedger reopen(int snapshotEvery) throws Exception {
    ledger.close();
    log.crash();
    EmbeddedLedger l = EmbeddedLedger.open(log, genesis, options(snapshotEvery));
    ledger = l;
    return l;
  }

  @Test
  void acknowledgedTransactions_surviveACrash() throws Exception {
    AccountKeys a = users.get(0);
    TxBuilder b = new TxBuilder(ledger, a);
    List<CompletableFuture<Receipt>> fs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      fs.add(b.submit(new Call.Transfer(users.get(1).id(), 1)));
    }
    for (CompletableFuture<Receipt> f : fs) {
      await(f);
    }
    byte[] before = ((EmbeddedLedger) ledger).snapshot();
    EmbeddedLedger again = reopen(1000);
    assertArrayEquals(before, again.snapshot());
    assertEquals(100, again.nextNonce(a.id()));
  }

  @Test
  void snapshots_boundReplay_andRestoreTheSameState() throws Exception {
    ledger.close();
    log = new MemoryBlockLog();
    ledger = EmbeddedLedger.open(log, genesis, options(5));
    AccountKeys a = users.get(0);
    for (int i = 0; i < 23; i++) {
      submit(a, new Call.Transfer(users.get(1).id(), 1));
    }
    assertTrue(log.latestSnapshot().isPresent());
    assertTrue(log.durableRecords() < 5, "records before the snapshot were dropped");
    byte[] before = ((EmbeddedLedger) ledger).snapshot();
    EmbeddedLedger again = reopen(5);
    assertArrayEquals(before, again.snapshot());
    submit(a, new Call.Transfer(users.get(1).id(), 1));
    assertEquals(24, again.nextNonce(a.id()));
  }

  @Test
  void fsyncFailure_stopsTheLedger_andFailsTheBatch() throws Exception {
    AccountKeys a = users.get(0);
    submit(a, new Call.Transfer(users.get(1).id(), 1));
    log.failSync = true;
    CompletableFuture<Receipt> f =
        ledger.submit(SignedTransaction.sign(a, NET, 1, new Call.Transfer(users.get(1).id(), 1)));
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    assertInstanceOf(LedgerUnavailableException.class, e.getCause());
    CompletableFuture<Receipt> later =
        ledger.submit(SignedTransaction.sign(a, NET, 2, new Call.Faucet()));
    e = assertThrows(ExecutionException.class, () -> later.get(30, TimeUnit.SECONDS));
    assertInstanceOf(LedgerUnavailableException.class, e.getCause());
    log.failSync = false;
    EmbeddedLedger again = reopen(1000);
    assertEquals(1, again.nextNonce(a.id()), "only the durable transaction is there");
  }

  @Test
  void tick_producesADurableEmptyBlock() throws Exception {
    long h = ledger.head().height();
    clock.addAndGet(5000);
    var header = await(((EmbeddedLedger) ledger).tick());
    assertEquals(h + 1, header.height());
    assertEquals(0, header.txCount());
    assertEquals(clock.get(), ledger.head().timeMillis());
  }

  @Test
  void idleLedger_makesAnEmptyBlockAfterTheConfiguredTime() throws Exception {
    ledger.close();
    log = new MemoryBlockLog();
    ledger = EmbeddedLedger.open(log, genesis, options(1000).withEmptyBlockAfterMillis(5000));
    long h = ledger.head().height();
    clock.addAndGet(5000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (ledger.head().height() == h && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(h + 1, ledger.head().height());
    assertEquals(clock.get(), ledger.head().timeMillis());
  }

  @Test
  void groupCommit_putsTransactionsQueuedDuringAnFsyncIntoOneBlock() throws Exception {
    java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
    log.holdSync = hold;
    int syncsBefore = log.syncs;
    List<CompletableFuture<Receipt>> fs = new ArrayList<>();
    TxBuilder first = new TxBuilder(ledger, users.get(0));
    fs.add(first.submit(new Call.Transfer(users.get(1).id(), 1)));
    for (int u = 1; u < 16; u++) {
      TxBuilder b = new TxBuilder(ledger, users.get(u));
      for (int i = 0; i < 20; i++) {
        fs.add(b.submit(new Call.Transfer(users.get((u + 1) % 16).id(), 1)));
      }
    }
    hold.countDown();
    for (CompletableFuture<Receipt> f : fs) {
      await(f);
    }
    // 301 transactions: the first block holds what came before the held fsync (at least the
    // first transaction), the other 300 queue behind it and go in blocks of at most 64.
    assertTrue(
        log.syncs - syncsBefore <= 1 + 5,
        "301 transactions took " + (log.syncs - syncsBefore) + " fsyncs");
    assertTrue(fs.get(fs.size() - 1).get().blockHeight() > fs.get(0).get().blockHeight());
  }
}
