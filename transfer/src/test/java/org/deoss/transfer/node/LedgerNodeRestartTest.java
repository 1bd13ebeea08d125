package org.deoss.transfer.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.port.LedgerUnavailableException;
import org.deoss.core.port.TxBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node stops (server and ledger closed) and starts again from the same folder on the same port;
 * clients carry on.
 */
class LedgerNodeRestartTest {
  private static final String NET = "restart-net";
  private static final long START = 1000 * Genesis.TOKEN;
  @TempDir Path dir;
  private final List<AccountKeys> signers = new ArrayList<>();
  private final AccountKeys sink = LedgerNodeServerErrorsTest.keys(99);
  private NodeFixture node;

  @BeforeEach
  void start() throws Exception {
    Genesis.Builder g = Genesis.builder(NET);
    for (int i = 0; i < 4; i++) {
      signers.add(LedgerNodeServerErrorsTest.keys(i + 1));
      g.endow(signers.get(i).id(), START);
    }
    node = new NodeFixture(dir, g.build());
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void acknowledgedTransaction_survivesARestart_andTheClientKeepsSubmitting() throws Exception {
    RemoteLedgerClient client = node.client(NodeFixture.quickRecovery(Duration.ofSeconds(20)));
    AccountKeys a = signers.get(0);
    TxBuilder b = new TxBuilder(client, a);
    Receipt before = b.submitAndWait(new Call.Transfer(sink.id(), 7));

    node.stop();
    node.start();

    assertEquals(1, client.nextNonce(a.id()));
    assertEquals(7, client.account(sink.id()).balance());
    assertEquals(before.blockHash(), client.block(before.blockHeight()).orElseThrow().hash());
    Receipt after = b.submitAndWait(new Call.Transfer(sink.id(), 1));
    assertTrue(after.blockHeight() > before.blockHeight());
    assertEquals(8, client.account(sink.id()).balance());
    client.close();
  }

  @Test
  @Timeout(30) // a connection left open by the stopping node made answers wait 35 s
  void submissionsInFlightWhenTheNodeDies_commitOnceOrFailUnavailable() throws Exception {
    RemoteLedgerClient client = node.client(NodeFixture.quickRecovery(Duration.ofSeconds(20)));
    int perSigner = 25;
    List<SignedTransaction> txs = new ArrayList<>();
    List<CompletableFuture<Receipt>> futures = new ArrayList<>();
    for (int n = 0; n < perSigner; n++) {
      for (AccountKeys k : signers) {
        SignedTransaction tx = SignedTransaction.sign(k, NET, n, new Call.Transfer(sink.id(), 1));
        txs.add(tx);
        futures.add(client.submit(tx));
      }
    }
    node.stop();
    node.start();

    int receipts = 0;
    int unavailable = 0;
    for (int i = 0; i < txs.size(); i++) {
      SignedTransaction tx = txs.get(i);
      try {
        Receipt r = futures.get(i).get(60, TimeUnit.SECONDS);
        assertEquals(tx.hash(), r.txHash());
        assertTrue(
            client.nextNonce(tx.signer()) > tx.nonce(), "acknowledged but not applied: " + tx);
        receipts++;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof LedgerUnavailableException)) {
          fail("transaction " + tx + " failed with " + e.getCause(), e.getCause());
        }
        unavailable++;
      }
    }
    long applied = 0;
    for (AccountKeys k : signers) {
      long nonce = client.nextNonce(k.id());
      applied += nonce;
      // Each applied transaction moved exactly one token unit: none was applied twice.
      assertEquals(START - nonce, client.account(k.id()).balance(), "balance of " + k.id());
    }
    assertEquals(applied, client.account(sink.id()).balance());
    assertTrue(receipts <= applied, receipts + " receipts but " + applied + " applied");
    assertEquals(txs.size(), receipts + unavailable);

    // The client keeps working after the restart.
    TxBuilder b = new TxBuilder(client, signers.get(0));
    b.submitAndWait(new Call.Transfer(sink.id(), 1));
    assertEquals(applied + 1, client.account(sink.id()).balance());
    client.close();
  }

  @Test
  void withAReceiptLog_anAcknowledgedTransactionIsFoundByHashAfterARestart(@TempDir Path other)
      throws Exception {
    node.close();
    node =
        new NodeFixture(
            other.resolve("ledger"),
            node.genesis,
            LedgerNodeServer.Options.defaults(),
            other.resolve("receipts.log"));
    RemoteLedgerClient client = node.client();
    AccountKeys a = signers.get(0);
    SignedTransaction tx = SignedTransaction.sign(a, NET, 0, new Call.Transfer(sink.id(), 2));
    Receipt r = client.submit(tx).get(30, TimeUnit.SECONDS);

    node.stop();
    node.start();

    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.URI uri = node.server.uri().resolve("/v1/transactions/" + tx.hash().toHex());
    var answer =
        http.send(
            java.net.http.HttpRequest.newBuilder(uri).GET().build(),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, answer.statusCode());
    assertEquals(r, Json.receipt(Json.MAPPER.readTree(answer.body())));
    // A replay is refused by the ledger and the receipt stays on record.
    ExecutionException replay =
        assertThrows(ExecutionException.class, () -> client.submit(tx).get(30, TimeUnit.SECONDS));
    assertInstanceOf(org.deoss.core.ledger.LedgerRejection.class, replay.getCause());
    var again =
        http.send(
            java.net.http.HttpRequest.newBuilder(uri).GET().build(),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, again.statusCode());
    client.close();
  }

  @Test
  void nodeGoneForGood_submitAndQueriesFailUnavailable() throws Exception {
    RemoteLedgerClient client = node.client(NodeFixture.quickRecovery(Duration.ofMillis(300)));
    AccountKeys a = signers.get(0);
    String net = client.networkId();
    node.stop();
    CompletableFuture<Receipt> f =
        client.submit(SignedTransaction.sign(a, net, 0, new Call.Transfer(sink.id(), 1)));
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    assertInstanceOf(LedgerUnavailableException.class, e.getCause());
    assertThrows(LedgerUnavailableException.class, () -> client.nextNonce(a.id()));
    client.close();
  }
}
