package org.deoss.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.port.LedgerUnavailableException;
import org.deoss.transfer.node.LedgerNodeServer;
import org.deoss.transfer.node.RemoteLedgerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three replicas, each behind its own HTTP node, and a client given the three URLs: the leader's
 * node is stopped while the client writes; every acknowledged transaction is in, and the client
 * reads its own writes on the node it moved to.
 */
class ReplicatedNodesOverHttpTest {
  @TempDir Path dir;
  private final List<RatisLedger> ledgers = new ArrayList<>();
  private final List<LedgerNodeServer> servers = new ArrayList<>();

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @AfterEach
  void stop() {
    ledgers.forEach(RatisLedger::close);
    servers.forEach(LedgerNodeServer::close);
  }

  @Test
  void leaderNodeStoppedWhileWriting_noAcknowledgedTransactionLost() throws Exception {
    List<Peer> peers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      peers.add(new Peer("n" + i, "127.0.0.1", freePort()));
    }
    List<URI> urls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RatisLedger l =
          RatisLedger.start(
              new RatisLedger.Config(
                  "n" + i,
                  peers,
                  dir.resolve("n" + i),
                  Accounts.genesis(),
                  RatisLedger.Options.defaults().withEmptyBlockAfterMillis(0)));
      ledgers.add(l);
      LedgerNodeServer s =
          LedgerNodeServer.start(
              l, new InetSocketAddress("127.0.0.1", 0), LedgerNodeServer.Options.defaults());
      servers.add(s);
      urls.add(s.uri());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (ledgers.stream().noneMatch(RatisLedger::isLeader)) {
      assertTrue(System.nanoTime() < deadline, "no leader elected in 30 s");
      Thread.sleep(20);
    }
    int leader = ledgers.indexOf(ledgers.stream().filter(RatisLedger::isLeader).findFirst().get());
    // The client starts on the leader's node, so stopping it forces a move.
    List<URI> order = new ArrayList<>(urls);
    order.add(0, order.remove(leader));

    try (RemoteLedgerClient client =
        RemoteLedgerClient.connect(order, RemoteLedgerClient.Options.defaults())) {
      List<CompletableFuture<Receipt>> fs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        fs.add(client.submit(Accounts.transfer(1, i, 2, 1)));
        if (i == 20) {
          ledgers.get(leader).close();
          servers.get(leader).close();
        }
        Thread.sleep(10);
      }
      int acknowledged = 0;
      long lastAcknowledgedNonce = -1;
      for (int i = 0; i < fs.size(); i++) {
        try {
          fs.get(i).get(60, TimeUnit.SECONDS);
          acknowledged++;
          lastAcknowledgedNonce = i;
        } catch (ExecutionException e) {
          assertTrue(
              e.getCause() instanceof LedgerUnavailableException,
              "only 'may or may not be applied' is allowed, got " + e.getCause());
        }
      }
      assertEquals(40, acknowledged, "acknowledged of 40");
      // Read-your-writes on whichever node the client uses now.
      long nonce = client.nextNonce(Accounts.keys(1).id());
      assertTrue(
          nonce > lastAcknowledgedNonce,
          "nonce " + nonce + " does not cover acknowledged #" + lastAcknowledgedNonce);
      // And every surviving replica converges on the same head.
      RatisLedger a = ledgers.get((leader + 1) % 3);
      RatisLedger b = ledgers.get((leader + 2) % 3);
      while (a.head().height() != b.head().height()) {
        assertTrue(System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(60), "no convergence");
        Thread.sleep(20);
      }
      assertEquals(a.head(), b.head());
    }
  }
}
