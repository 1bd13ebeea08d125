package org.deoss.transfer.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.SignedTransaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client given several node URLs moves past the ones that do not answer. */
class RemoteLedgerClientFailoverTest {
  @TempDir Path dir;

  private static final AccountKeys ALICE = AccountKeys.fromSeed(new byte[32]);

  private static Genesis genesis() {
    return Genesis.builder("deoss-failover")
        .genesisTimeMillis(1_700_000_000_000L)
        .endow(ALICE.id(), 1000 * Genesis.TOKEN)
        .build();
  }

  private static URI deadUrl() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }

  @Test
  void connect_withACommaSeparatedUri_usesEveryNodeInOrder() {
    RemoteLedgerClient c =
        RemoteLedgerClient.connect(
            URI.create("http://10.0.0.1:8940,http://10.0.0.2:8940/"),
            RemoteLedgerClient.Options.defaults());
    assertEquals(
        List.of(URI.create("http://10.0.0.1:8940"), URI.create("http://10.0.0.2:8940")), c.nodes());
  }

  @Test
  void connect_withAMalformedNodeInTheList_namesIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RemoteLedgerClient.connect(
                    URI.create("http://10.0.0.1:8940,ftp://x"),
                    RemoteLedgerClient.Options.defaults()));
    assertEquals("node URI must be http://host:port, got ftp://x", e.getMessage());
  }

  @Test
  void queriesAndSubmissions_whenTheFirstNodeIsDown_goToTheNext() throws Exception {
    try (NodeFixture node = new NodeFixture(dir, genesis())) {
      URI live = URI.create("http://127.0.0.1:" + node.server.port());
      try (RemoteLedgerClient c =
          RemoteLedgerClient.connect(
              List.of(deadUrl(), live), RemoteLedgerClient.Options.defaults())) {
        assertEquals("deoss-failover", c.networkId());
        SignedTransaction tx =
            SignedTransaction.sign(
                ALICE, "deoss-failover", 0, new Call.Transfer(ALICE.id(), Genesis.TOKEN));
        c.submit(tx).get(30, TimeUnit.SECONDS);
        assertEquals(1, c.nextNonce(ALICE.id()));
      }
    }
  }

  @Test
  void aNodeAnswering503_isPassedOverWhenThereAreOthers() throws Exception {
    try (NodeFixture closed = new NodeFixture(dir.resolve("a"), genesis());
        NodeFixture live = new NodeFixture(dir.resolve("b"), genesis())) {
      closed.ledger.close(); // the server stays up and answers 503 UNAVAILABLE
      URI a = URI.create("http://127.0.0.1:" + closed.server.port());
      URI b = URI.create("http://127.0.0.1:" + live.server.port());
      try (RemoteLedgerClient c =
          RemoteLedgerClient.connect(List.of(a, b), RemoteLedgerClient.Options.defaults())) {
        SignedTransaction tx =
            SignedTransaction.sign(
                ALICE, "deoss-failover", 0, new Call.Transfer(ALICE.id(), Genesis.TOKEN));
        c.submit(tx).get(30, TimeUnit.SECONDS);
        assertEquals(1, live.ledger.nextNonce(ALICE.id()));
      }
    }
  }
}
