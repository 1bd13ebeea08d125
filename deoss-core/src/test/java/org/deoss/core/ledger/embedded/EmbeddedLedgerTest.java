package org.deoss.core.ledger.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.LedgerClientContract;
import org.deoss.core.port.LedgerUnavailableException;
import org.deoss.core.port.TxBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded ledger on real files: the contract, reopen, snapshots, failures, group commit. */
class EmbeddedLedgerTest extends LedgerClientContract {
  @TempDir Path tmp;
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private Path dir;
  private FaultySink sink;
  private int opened;

  private EmbeddedLedger.Options options(int snapshotEvery) {
    return new EmbeddedLedger.Options(64, snapshotEvery, clock::get, 0);
  }

  private EmbeddedLedger openAt(Path d, EmbeddedLedger.Options o) throws IOException {
    return EmbeddedLedger.open(
        d,
        genesis,
        o,
        s -> {
          sink = new FaultySink(s);
          return sink;
        });
  }

  @Override
  protected LedgerClient open(Genesis genesis) throws Exception {
    dir = tmp.resolve("ledger-" + opened++);
    this.genesis = genesis;
    return openAt(dir, options(1000));
  }

  private EmbeddedLedger reopen(EmbeddedLedger.Options o) throws Exception {
    ledger.close();
    EmbeddedLedger l = openAt(dir, o);
    ledger = l;
    return l;
  }

  private EmbeddedLedger embedded() {
    return (EmbeddedLedger) ledger;
  }

  @Test
  void acknowledgedTransactions_surviveReopen() throws Exception {
    AccountKeys a = users.get(0);
    TxBuilder b = new TxBuilder(ledger, a);
    List<CompletableFuture<Receipt>> fs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      fs.add(b.submit(new Call.Transfer(users.get(1).id(), 1)));
    }
    for (CompletableFuture<Receipt> f : fs) {
      await(f);
    }
    byte[] before = embedded().snapshot();
    EmbeddedLedger again = reopen(options(1000));
    assertArrayEquals(before, again.snapshot());
    assertEquals(100, again.nextNonce(a.id()));
  }

  @Test
  void snapshots_areSavedAndReopenGivesTheSameState() throws Exception {
    reopen(options(5));
    AccountKeys a = users.get(0);
    for (int i = 0; i < 23; i++) {
      submit(a, new Call.Transfer(users.get(1).id(), 1));
    }
    try (Stream<Path> s = Files.list(dir.resolve("snapshots"))) {
      assertTrue(s.anyMatch(p -> p.getFileName().toString().endsWith(".snap")));
    }
    byte[] before = embedded().snapshot();
    EmbeddedLedger again = reopen(options(5));
    assertArrayEquals(before, again.snapshot());
    submit(a, new Call.Transfer(users.get(1).id(), 1));
    assertEquals(24, again.nextNonce(a.id()));
  }

  @Test
  void submitAll_putsTransactionsThatArriveTogetherInOneBlock_andRefusesABadSignatureAlone()
      throws Exception {
    AccountKeys a = users.get(0);
    AccountKeys b = users.get(2);
    SignedTransaction good = SignedTransaction.sign(b, NET, 0, new Call.Faucet());
    byte[] sig = good.signature();
    sig[3] ^= 1;
    List<SignedTransaction> txs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      txs.add(SignedTransaction.sign(a, NET, i, new Call.Transfer(users.get(1).id(), 1)));
      if (i == 4) {
        txs.add(new SignedTransaction(b.id(), 0, good.call(), sig));
      }
    }
    long h = ledger.head().height();
    List<CompletableFuture<Receipt>> fs = ledger.submitAll(txs);
    assertEquals(txs.size(), fs.size());
    assertEquals(LedgerRejection.Reason.BAD_SIGNATURE, rejection(fs.get(5)).reason());
    fs.remove(5);
    for (CompletableFuture<Receipt> f : fs) {
      assertEquals(h + 1, await(f).blockHeight());
    }
    assertEquals(10, ledger.nextNonce(a.id()));
    assertEquals(0, ledger.nextNonce(b.id()));
    assertEquals(10, ledger.block(h + 1).orElseThrow().txCount());
    byte[] before = embedded().snapshot();
    assertArrayEquals(before, reopen(options(1000)).snapshot());
  }

  @Test
  void refusedTransactionAlone_stillMakesADurableBlock() throws Exception {
    AccountKeys a = users.get(0);
    long h = ledger.head().height();
    LedgerRejection r =
        rejection(ledger.submit(SignedTransaction.sign(a, NET, 7, new Call.Faucet())));
    assertEquals(LedgerRejection.Reason.BAD_NONCE, r.reason());
    assertEquals(h + 1, ledger.head().height());
    assertEquals(0, ledger.block(h + 1).orElseThrow().txCount());
    byte[] before = embedded().snapshot();
    assertArrayEquals(before, reopen(options(1000)).snapshot());
  }

  @Test
  void fsyncFailure_stopsTheLedger_andOnlyDurableBlocksSurvive() throws Exception {
    AccountKeys a = users.get(0);
    submit(a, new Call.Transfer(users.get(1).id(), 1));
    sink.failSync = true;
    CompletableFuture<Receipt> f =
        ledger.submit(SignedTransaction.sign(a, NET, 1, new Call.Transfer(users.get(1).id(), 1)));
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    assertInstanceOf(LedgerUnavailableException.class, e.getCause());
    assertFalse(embedded().isRunning());
    CompletableFuture<Receipt> later =
        ledger.submit(SignedTransaction.sign(a, NET, 2, new Call.Faucet()));
    e = assertThrows(ExecutionException.class, () -> later.get(30, TimeUnit.SECONDS));
    assertInstanceOf(LedgerUnavailableException.class, e.getCause());
    // A power cut now: only what reached the disk counts.
    Path copy = tmp.resolve("after-failure");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.toList()) {
        Path t = copy.resolve(dir.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else if (!p.getFileName().toString().endsWith(".lock")) {
          Files.copy(p, t);
        }
      }
    }
    try (EmbeddedLedger survivor = EmbeddedLedger.open(copy, genesis, options(1000))) {
      assertEquals(1, survivor.nextNonce(a.id()), "only the acknowledged transaction is there");
    }
  }

  @Test
  void tick_makesADurableEmptyBlock() throws Exception {
    long h = ledger.head().height();
    clock.addAndGet(5000);
    var header = await(embedded().tick());
    assertEquals(h + 1, header.height());
    assertEquals(0, header.txCount());
    assertEquals(clock.get(), ledger.head().timeMillis());
  }

  @Test
  void idleLedger_makesAnEmptyBlockAfterTheConfiguredTime() throws Exception {
    reopen(options(1000).withEmptyBlockAfterMillis(5000));
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
  void groupCommit_putsTransactionsQueuedDuringAnFsyncIntoFewBlocks() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    sink.hold = hold;
    int syncsBefore = sink.syncs.get();
    List<CompletableFuture<Receipt>> fs = new ArrayList<>();
    fs.add(new TxBuilder(ledger, users.get(0)).submit(new Call.Transfer(users.get(1).id(), 1)));
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
    // 301 transactions: the first block holds at least the first; the other 300 queue behind its
    // held fsync and go in blocks of at most 64.
    int syncs = sink.syncs.get() - syncsBefore;
    assertTrue(syncs <= 6, "301 transactions took " + syncs + " fsyncs");
  }
}
