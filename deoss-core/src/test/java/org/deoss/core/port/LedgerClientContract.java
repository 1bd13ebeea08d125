package org.deoss.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.LedgerRejection.Reason;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.ledger.PutCondition;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.manifest.SegmentRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LedgerClient} must have. An implementation's test extends this class
 * and opens a fresh ledger at the given genesis in {@link #open(Genesis)}.
 */
public abstract class LedgerClientContract {
  protected static final String NET = "contract-net";
  protected static final long TOKEN = Genesis.TOKEN;
  protected final List<AccountKeys> users = new ArrayList<>();
  protected final List<AccountKeys> miners = new ArrayList<>();
  protected Genesis genesis;
  protected LedgerClient ledger;
  private long counter;

  /** A fresh ledger at {@code genesis}. */
  protected abstract LedgerClient open(Genesis genesis) throws Exception;

  /**
   * Whether a transaction submitted again after it was accepted is answered with its first receipt
   * (a replicated ledger, which must recognise a client's retry on another node) rather than
   * BAD_NONCE. Either way it is never applied twice.
   */
  protected boolean replayAnswersTheFirstReceipt() {
    return false;
  }

  protected static AccountKeys keys(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    seed[1] = (byte) (n >> 8);
    seed[30] = 9;
    return AccountKeys.fromSeed(seed);
  }

  @BeforeEach
  void setUpLedger() throws Exception {
    Genesis.Builder b = Genesis.builder(NET).audits(0, 1, 1, 1, 1);
    for (int i = 0; i < 16; i++) {
      users.add(keys(i + 1));
      b.endow(users.get(i).id(), 100_000 * TOKEN);
    }
    for (int i = 0; i < 12; i++) {
      miners.add(keys(200 + i));
      b.endow(miners.get(i).id(), 10_000 * TOKEN);
    }
    genesis = b.build();
    ledger = open(genesis);
  }

  @AfterEach
  void closeLedger() {
    if (ledger != null) {
      ledger.close();
    }
  }

  protected static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  protected static LedgerRejection rejection(CompletableFuture<?> f) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    return assertInstanceOf(LedgerRejection.class, e.getCause());
  }

  protected Receipt submit(AccountKeys k, Call c) throws Exception {
    SignedTransaction tx = SignedTransaction.sign(k, NET, ledger.nextNonce(k.id()), c);
    return await(ledger.submit(tx));
  }

  protected void registerMiners() throws Exception {
    for (AccountKeys m : miners) {
      submit(m, new Call.RegisterMiner("127.0.0.1:1", 1L << 40, 4000 * TOKEN, "z"));
    }
  }

  protected ObjectManifest manifest(long size) {
    byte[] id = new byte[16];
    long c = ++counter;
    for (int i = 0; i < 8; i++) {
      id[i] = (byte) (c >>> (8 * i));
    }
    if (size == 0) {
      return new ObjectManifest(
          ObjectId.of(id), 0, 1 << 20, 4, 8, 65536, ObjectManifest.EMPTY_FID, List.of());
    }
    List<FragmentRef> frags = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      frags.add(new FragmentRef(i, hash(c, i), (int) (size + 19) / 4, miners.get(i).id()));
    }
    SegmentRef seg = new SegmentRef(0, (int) size, (int) size + 16, hash(c, 99), frags);
    return new ObjectManifest(
        ObjectId.of(id), size, 1 << 20, 4, 8, 65536, hash(c, 100), List.of(seg));
  }

  private static Hash256 hash(long c, int i) {
    return Hash256.digest(("h" + c + "/" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  protected Call.PutObject put(AccountKeys owner, String bucket, String key, long size) {
    return new Call.PutObject(
        owner.id(),
        bucket,
        key,
        manifest(size),
        PosixAttributes.file(0100644, 1),
        Access.none(),
        PutCondition.none());
  }

  @Test
  void submit_acknowledgesWithAReceiptInAChainedBlock() throws Exception {
    AccountKeys a = users.get(0);
    Receipt r = submit(a, new Call.Transfer(users.get(1).id(), 10));
    assertTrue(r.blockHeight() >= 1);
    assertEquals(r.blockHash(), ledger.block(r.blockHeight()).orElseThrow().hash());
    assertTrue(ledger.head().height() >= r.blockHeight());
    assertEquals(1, ledger.nextNonce(a.id()));
    assertEquals(100_000 * TOKEN - 10, ledger.account(a.id()).balance());
    assertEquals(NET, ledger.networkId());
  }

  @Test
  void submit_rejection_failsTheFuture_andKeepsTheNonce() throws Exception {
    AccountKeys a = users.get(0);
    SignedTransaction tx =
        SignedTransaction.sign(a, NET, 0, new Call.CreateBucket(a.id(), "Bad_Name"));
    LedgerRejection r = rejection(ledger.submit(tx));
    assertEquals(Reason.BAD_BUCKET_NAME, r.reason());
    assertEquals(0, ledger.nextNonce(a.id()));
  }

  @Test
  void submit_forgedSignature_isBadSignature() {
    AccountKeys a = users.get(0);
    SignedTransaction tx = SignedTransaction.sign(a, NET, 0, new Call.Faucet());
    byte[] sig = tx.signature();
    sig[0] ^= 1;
    assertEquals(
        Reason.BAD_SIGNATURE,
        rejection(ledger.submit(new SignedTransaction(a.id(), 0, tx.call(), sig))).reason());
    SignedTransaction otherNetwork = SignedTransaction.sign(a, "another-net", 0, new Call.Faucet());
    assertEquals(Reason.BAD_SIGNATURE, rejection(ledger.submit(otherNetwork)).reason());
  }

  @Test
  void submit_replayOfAnAcceptedTransaction_isBadNonce() throws Exception {
    AccountKeys a = users.get(0);
    SignedTransaction tx =
        SignedTransaction.sign(a, NET, 0, new Call.Transfer(users.get(2).id(), 5));
    Receipt first = await(ledger.submit(tx));
    if (replayAnswersTheFirstReceipt()) {
      Receipt again = await(ledger.submit(tx));
      assertEquals(first.blockHeight(), again.blockHeight(), "the replay names the first block");
      assertEquals(first.blockHash(), again.blockHash());
    } else {
      assertEquals(Reason.BAD_NONCE, rejection(ledger.submit(tx)).reason());
    }
    assertEquals(100_000 * TOKEN + 5, ledger.account(users.get(2).id()).balance());
  }

  @Test
  void queries_seeBucketsObjectsListingsAndAuthorizations() throws Exception {
    AccountKeys a = users.get(0);
    registerMiners();
    submit(a, new Call.BuySpace(1, 30));
    submit(a, new Call.CreateBucket(a.id(), "docs"));
    submit(a, new Call.Authorize(users.get(1).id()));
    Receipt put = submit(users.get(1), put(a, "docs", "dir/a.txt", 100));
    submit(a, put(a, "docs", "dir/b.txt", 0));
    submit(a, put(a, "docs", "top", 1));
    ObjectRecord o = ledger.object(a.id(), "docs", "dir/a.txt").orElseThrow();
    assertEquals(put.objectVersion(), o.version());
    assertEquals(100, o.size());
    assertTrue(ledger.isReferenced(o.manifest().segments().get(0).fragments().get(0).hash()));
    assertFalse(ledger.isReferenced(Hash256.ZERO));
    ListPage root = ledger.list(a.id(), "docs", "", "/", null, 10);
    assertEquals(List.of("dir/"), root.commonPrefixes());
    assertEquals(1, root.objects().size());
    assertEquals(2, ledger.list(a.id(), "docs", "dir/", "/", null, 10).objects().size());
    assertEquals(List.of(users.get(1).id()), ledger.authorizations(a.id()));
    assertEquals(3, ledger.bucket(a.id(), "docs").orElseThrow().objectCount());
    assertEquals(1, ledger.buckets(a.id()).size());
    assertEquals(101, ledger.account(a.id()).space().usedBytes());
    assertEquals(12, ledger.miners().size());
    assertTrue(ledger.miner(miners.get(0).id()).isPresent());
    assertTrue(ledger.challenges().isEmpty());
    assertTrue(ledger.repairOrders(0, 10).isEmpty());
    LedgerRejection e =
        assertThrows(LedgerRejection.class, () -> ledger.list(a.id(), "nope", "", "", null, 1));
    assertEquals(Reason.NO_SUCH_BUCKET, e.reason());
    assertTrue(ledger.object(a.id(), "docs", "missing").isEmpty());
  }

  @Test
  void sharedWith_pagesTheObjectsWrappedForTheGrantee() throws Exception {
    AccountKeys a = users.get(0);
    AccountKeys b = users.get(1);
    registerMiners();
    submit(a, new Call.BuySpace(1, 30));
    submit(a, new Call.CreateBucket(a.id(), "docs"));
    Access shared =
        Access.of(
            org.deoss.core.ledger.Visibility.SHARED,
            java.util.Map.of(a.id(), new byte[] {1}, b.id(), new byte[] {1}),
            null);
    for (String key : List.of("x/1", "x/2", "y")) {
      Call.PutObject p = put(a, "docs", key, 10);
      submit(
          a,
          new Call.PutObject(
              p.owner(), p.bucket(), p.key(), p.manifest(), p.attributes(), shared, p.condition()));
    }
    submit(a, put(a, "docs", "private", 10));
    ListPage first = ledger.sharedWith(b.id(), null, 2);
    assertEquals(2, first.objects().size());
    assertEquals("x/1", first.objects().get(0).key());
    assertTrue(first.truncated());
    ListPage second = ledger.sharedWith(b.id(), first.next(), 2);
    assertEquals(List.of("y"), second.objects().stream().map(ObjectRecord::key).toList());
    assertFalse(second.truncated());
    assertTrue(ledger.sharedWith(users.get(2).id(), null, 5).objects().isEmpty());
  }

  @Test
  void encryptionKey_isEmptyUntilAnnounced_thenTheLatest() throws Exception {
    AccountKeys a = users.get(0);
    assertTrue(ledger.encryptionKey(a.id()).isEmpty(), "no key before an announcement");
    byte[] key = org.deoss.core.account.EncryptionKeys.derive(a).publicKey();
    submit(a, new Call.AnnounceKey(key));
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        key, ledger.encryptionKey(a.id()).orElseThrow());
    assertTrue(ledger.encryptionKey(users.get(1).id()).isEmpty(), "only the signer's key");
    TxBuilder tx = new TxBuilder(ledger, a);
    assertFalse(tx.announceKeyIfMissing(), "the same key is not announced twice");
    assertTrue(new TxBuilder(ledger, users.get(1)).announceKeyIfMissing());
    assertTrue(ledger.encryptionKey(users.get(1).id()).isPresent());
  }

  @Test
  void txBuilder_keepsManyTransactionsOfOneAccountInFlight() throws Exception {
    AccountKeys a = users.get(3);
    TxBuilder b = new TxBuilder(ledger, a);
    List<CompletableFuture<Receipt>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(b.submit(new Call.Transfer(users.get(4).id(), 1)));
    }
    for (CompletableFuture<Receipt> f : futures) {
      await(f);
    }
    assertEquals(50, ledger.nextNonce(a.id()));
    assertEquals(100_000 * TOKEN + 50, ledger.account(users.get(4).id()).balance());
    LedgerRejection r =
        assertThrows(
            LedgerRejection.class, () -> b.submitAndWait(new Call.Transfer(users.get(4).id(), 0)));
    assertEquals(Reason.BAD_ARGUMENT, r.reason());
    // The refused nonce is reused by the next call.
    b.submitAndWait(new Call.Transfer(users.get(4).id(), 1));
    assertEquals(51, ledger.nextNonce(a.id()));
  }

  @Test
  void submitAll_appliesEachTransactionInOrder_withOneOutcomeEach() throws Exception {
    AccountKeys a = users.get(6);
    String net = ledger.networkId();
    List<SignedTransaction> txs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      txs.add(SignedTransaction.sign(a, net, i, new Call.Transfer(users.get(7).id(), 1)));
    }
    txs.add(SignedTransaction.sign(a, net, 9, new Call.Transfer(users.get(7).id(), 1)));
    List<CompletableFuture<Receipt>> fs = ledger.submitAll(txs);
    assertEquals(6, fs.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(txs.get(i).hash(), await(fs.get(i)).txHash());
    }
    assertEquals(Reason.BAD_NONCE, rejection(fs.get(5)).reason());
    assertEquals(5, ledger.nextNonce(a.id()));
    assertEquals(100_000 * TOKEN + 5, ledger.account(users.get(7).id()).balance());
  }

  @Test
  void submitAndWaitRetryingNonce_getsPastAnotherSignerOfTheSameAccount() throws Exception {
    AccountKeys a = users.get(5);
    Call pay = new Call.Transfer(users.get(4).id(), 1);
    Call other = new Call.Transfer(users.get(4).id(), 2); // not the same transaction as `pay`
    TxBuilder mine = new TxBuilder(ledger, a);
    mine.submitAndWait(pay); // nonce 0; it counts nonce 1 next
    new TxBuilder(ledger, a).submitAndWait(other); // another signer takes nonce 1
    mine.submitAndWaitRetryingNonce(pay, 3); // 1 is refused, then 2 with a fresh nonce
    assertEquals(3, ledger.nextNonce(a.id()));
    new TxBuilder(ledger, a).submitAndWait(other); // takes 3, which `mine` counts next
    LedgerRejection once =
        assertThrows(LedgerRejection.class, () -> mine.submitAndWaitRetryingNonce(pay, 1));
    assertEquals(Reason.BAD_NONCE, once.reason(), "one attempt does not retry");
    assertEquals(4, ledger.nextNonce(a.id()));
    assertThrows(IllegalArgumentException.class, () -> mine.submitAndWaitRetryingNonce(pay, 0));
  }

  @Test
  void oneTxBuilderSharedByManyThreads_deliversNoncesInOrder() throws Exception {
    TxBuilder shared = new TxBuilder(ledger, users.get(0));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        jobs.add(pool.submit(() -> shared.submitAndWait(new Call.Transfer(users.get(14).id(), 1))));
      }
      for (Future<?> j : jobs) {
        j.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(120, ledger.nextNonce(users.get(0).id()));
  }

  @Test
  void concurrentSubmitters_areAllAcknowledged() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        AccountKeys k = users.get(t);
        jobs.add(
            pool.submit(
                () -> {
                  TxBuilder b = new TxBuilder(ledger, k);
                  for (int i = 0; i < 25; i++) {
                    b.submitAndWait(new Call.Transfer(users.get(15).id(), 1));
                  }
                  return null;
                }));
      }
      for (Future<?> j : jobs) {
        j.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int t = 0; t < 8; t++) {
      assertEquals(25, ledger.nextNonce(users.get(t).id()));
    }
    assertEquals(100_000 * TOKEN + 200, ledger.account(users.get(15).id()).balance());
  }

  @Test
  void head_andBlocks_followTheChain() throws Exception {
    var start = ledger.head();
    Receipt r1 = submit(users.get(0), new Call.Transfer(users.get(1).id(), 1));
    Receipt r2 = submit(users.get(0), new Call.Transfer(users.get(1).id(), 1));
    assertTrue(r2.blockHeight() > r1.blockHeight());
    assertTrue(r1.blockHeight() > start.height());
    assertEquals(r2.blockHash(), ledger.head().hash());
    var h2 = ledger.block(r2.blockHeight()).orElseThrow();
    var previous = ledger.block(r2.blockHeight() - 1).orElseThrow();
    assertEquals(previous.hash(), h2.parent());
    assertTrue(ledger.block(ledger.head().height() + 1).isEmpty());
    assertTrue(h2.timeMillis() >= previous.timeMillis());
  }

  @Test
  void close_makesSubmitFailUnavailable() {
    ledger.close();
    CompletableFuture<Receipt> f =
        ledger.submit(SignedTransaction.sign(users.get(0), NET, 0, new Call.Faucet()));
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    assertInstanceOf(LedgerUnavailableException.class, e.getCause());
    ledger = null;
  }

  @Test
  void attributes_roundTripThroughTheLedger() throws Exception {
    AccountKeys a = users.get(0);
    submit(a, new Call.BuySpace(1, 30));
    submit(a, new Call.CreateBucket(a.id(), "docs"));
    submit(a, put(a, "docs", "f", 0));
    PosixAttributes attrs =
        PosixAttributes.of(0100600, 1000, 1000, 123, 456, "", Map.of("user.k", new byte[] {7}));
    submit(a, new Call.SetAttributes(a.id(), "docs", "f", attrs));
    assertEquals(attrs, ledger.object(a.id(), "docs", "f").orElseThrow().attributes());
  }

  @Test
  void objectById_findsTheCurrentVersionWhereverItMoved_andNothingOnceDeleted() throws Exception {
    AccountKeys a = users.get(0);
    registerMiners();
    submit(a, new Call.BuySpace(1, 30));
    submit(a, new Call.CreateBucket(a.id(), "docs"));
    submit(a, put(a, "docs", "f", 10));
    ObjectRecord o = ledger.object(a.id(), "docs", "f").orElseThrow();
    org.deoss.core.manifest.ObjectId id = o.manifest().objectId();
    assertEquals(o, ledger.objectById(id).orElseThrow());
    submit(a, new Call.RenameObject(a.id(), "docs", "f", "g", false));
    assertEquals("g", ledger.objectById(id).orElseThrow().key());
    submit(a, new Call.DeleteObject(a.id(), "docs", "g"));
    assertTrue(ledger.objectById(id).isEmpty());
  }
}
