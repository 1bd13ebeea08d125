package org.deoss.transfer.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.ledger.BlockHeader;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.port.TxBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /v1/blocks?after=H&wait=S: answers when a block commits, or empty after the wait. */
class BlockLongPollTest {
  @TempDir Path dir;
  private final AccountKeys alice = LedgerNodeServerErrorsTest.keys(1);
  private NodeFixture node;
  private RemoteLedgerClient client;

  @BeforeEach
  void start() throws Exception {
    Genesis g = Genesis.builder("poll-net").endow(alice.id(), 1000 * Genesis.TOKEN).build();
    node = new NodeFixture(dir, g);
    client = node.client();
  }

  @AfterEach
  void stop() {
    client.close();
    node.close();
  }

  @Test
  void longPoll_returnsAsSoonAsABlockCommits() throws Exception {
    long h = client.head().height();
    CompletableFuture<List<BlockHeader>> poll =
        CompletableFuture.supplyAsync(() -> client.blocksAfter(h, Duration.ofSeconds(50)));
    while (node.server.blockWaiters() == 0) {
      assertTrue(!poll.isDone(), "the poll returned before any block: " + poll.getNow(null));
      Thread.onSpinWait();
    }
    Receipt r =
        new TxBuilder(client, alice)
            .submitAndWait(new Call.Transfer(LedgerNodeServerErrorsTest.keys(2).id(), 1));
    // Far below the 50 s wait: the commit woke the poll.
    List<BlockHeader> blocks = poll.get(20, TimeUnit.SECONDS);
    assertEquals(r.blockHeight(), blocks.get(0).height());
    assertEquals(r.blockHash(), blocks.get(0).hash());
    assertEquals(0, node.server.blockWaiters());
  }

  @Test
  void longPoll_withNothingNew_isEmptyAfterTheWait() {
    long h = client.head().height();
    long t0 = System.nanoTime();
    assertEquals(List.of(), client.blocksAfter(h, Duration.ofSeconds(1)));
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(900), "returned early");
  }

  @Test
  void poll_belowTheHead_answersAtOnceInOrder() {
    TxBuilder b = new TxBuilder(client, alice);
    for (int i = 0; i < 3; i++) {
      b.submitAndWait(new Call.Transfer(LedgerNodeServerErrorsTest.keys(2).id(), 1));
    }
    List<BlockHeader> all = client.blocksAfter(0, Duration.ofSeconds(30));
    assertEquals(client.head().height(), all.get(all.size() - 1).height());
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i + 1, all.get(i).height());
      if (i > 0) {
        assertEquals(all.get(i - 1).hash(), all.get(i).parent());
      }
    }
  }
}
