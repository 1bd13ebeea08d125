package org.deoss.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.port.LedgerUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three replicas in this JVM on loopback ports: writes, a leader lost, a replica catching up. */
class ReplicatedLedgerTest {
  @TempDir Path dir;
  private final List<RatisLedger> running = new ArrayList<>();
  private List<Peer> peers;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private RatisLedger start(int i, RatisLedger.Options o) throws IOException {
    RatisLedger l =
        RatisLedger.start(
            new RatisLedger.Config(
                peers.get(i).id(), peers, dir.resolve(peers.get(i).id()), Accounts.genesis(), o));
    running.add(l);
    return l;
  }

  private List<RatisLedger> group(RatisLedger.Options o) throws IOException {
    peers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      peers.add(new Peer("n" + i, "127.0.0.1", freePort()));
    }
    List<RatisLedger> ls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ls.add(start(i, o));
    }
    return ls;
  }

  @AfterEach
  void stop() {
    running.forEach(RatisLedger::close);
  }

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  private static RatisLedger.Options options() {
    return RatisLedger.Options.defaults().withEmptyBlockAfterMillis(0);
  }

  @Test
  void submit_throughAFollower_isAppliedOnEveryReplica() throws Exception {
    List<RatisLedger> g = group(options());
    await("a leader is elected", () -> g.stream().anyMatch(RatisLedger::isLeader));
    RatisLedger follower = g.stream().filter(l -> !l.isLeader()).findFirst().orElseThrow();
    List<CompletableFuture<Receipt>> fs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fs.add(follower.submit(Accounts.transfer(1, i, 2, 1)));
    }
    Receipt last = null;
    for (CompletableFuture<Receipt> f : fs) {
      last = f.get(30, TimeUnit.SECONDS);
    }
    // Acknowledged by this replica: its own queries see the transactions at once.
    assertEquals(50, follower.nextNonce(Accounts.keys(1).id()));
    long height = last.blockHeight();
    for (RatisLedger l : g) {
      await(l.self() + " applies block " + height, () -> l.head().height() >= height);
      assertEquals(50, l.nextNonce(Accounts.keys(1).id()));
      assertEquals(last, l.receipt(last.txHash()).orElseThrow());
    }
  }

  @Test
  void leaderClosed_writesContinueOnTheOthers() throws Exception {
    List<RatisLedger> g = group(options());
    await("a leader is elected", () -> g.stream().anyMatch(RatisLedger::isLeader));
    RatisLedger leader = g.stream().filter(RatisLedger::isLeader).findFirst().orElseThrow();
    RatisLedger other = g.stream().filter(l -> l != leader).findFirst().orElseThrow();
    other.submit(Accounts.transfer(1, 0, 2, 1)).get(30, TimeUnit.SECONDS);
    leader.close();
    long t0 = System.nanoTime();
    Receipt r = other.submit(Accounts.transfer(1, 1, 2, 1)).get(30, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertTrue(took.toSeconds() < 10, "write after losing the leader took " + took);
    assertEquals(2, other.nextNonce(Accounts.keys(1).id()), "receipt " + r);
  }

  @Test
  void replicaDownWhileSnapshotsPurgeTheLog_catchesUpByInstallingOne() throws Exception {
    List<RatisLedger> g = group(options().withSnapshotEveryEntries(20));
    await("a leader is elected", () -> g.stream().anyMatch(RatisLedger::isLeader));
    RatisLedger down = g.stream().filter(l -> !l.isLeader()).findFirst().orElseThrow();
    int downIndex = g.indexOf(down);
    down.close();
    RatisLedger writer = g.stream().filter(l -> l != down).findFirst().orElseThrow();
    for (int i = 0; i < 60; i++) {
      writer.submit(Accounts.transfer(1, i, 2, 1)).get(30, TimeUnit.SECONDS);
    }
    for (RatisLedger l : g) {
      if (l != down) {
        l.takeSnapshot();
      }
    }
    RatisLedger back = start(downIndex, options().withSnapshotEveryEntries(20));
    long height = writer.head().height();
    await("the restarted replica reaches height " + height, () -> back.head().height() >= height);
    assertEquals(60, back.nextNonce(Accounts.keys(1).id()));
    assertArrayEquals(
        writer.stateSnapshotForTest(), back.stateSnapshotForTest(), "replicas diverged");
  }

  @Test
  void addPeer_thenRemoveAnother_theGroupKeepsWritingAndTheNewMemberHasEverything()
      throws Exception {
    List<RatisLedger> g = group(options());
    await("a leader is elected", () -> g.stream().anyMatch(RatisLedger::isLeader));
    g.get(0).submit(Accounts.transfer(1, 0, 2, 1)).get(30, TimeUnit.SECONDS);
    List<Peer> three = List.copyOf(peers);
    String leader = g.stream().filter(RatisLedger::isLeader).findFirst().orElseThrow().self();
    assertEquals(leader, Membership.leader(three, Accounts.NET).orElseThrow());
    peers.add(new Peer("n3", "127.0.0.1", freePort()));
    RatisLedger fourth = start(3, options());
    List<Peer> four = Membership.add(three, peers.get(3), Accounts.NET);
    assertEquals(4, four.size());
    assertEquals(four, Membership.members(three, Accounts.NET));
    await(
        "the new member applies the first block",
        () -> fourth.nextNonce(Accounts.keys(1).id()) == 1);

    List<Peer> after = Membership.remove(four, "n0", Accounts.NET);
    assertEquals(List.of("n1", "n2", "n3"), after.stream().map(Peer::id).toList());
    g.get(0).close();
    Receipt r = fourth.submit(Accounts.transfer(1, 1, 2, 1)).get(30, TimeUnit.SECONDS);
    assertEquals(2, fourth.nextNonce(Accounts.keys(1).id()), "receipt " + r);
  }

  @Test
  void replicaWithoutMajority_refusesSubmissionsAtOnceAfterAWhile() throws Exception {
    List<RatisLedger> g = group(options());
    await("a leader is elected", () -> g.stream().anyMatch(RatisLedger::isLeader));
    RatisLedger alone = g.get(0);
    g.get(1).close();
    g.get(2).close();
    await("the lone replica notices it has no leader", alone::isLeaderless);
    long t0 = System.nanoTime();
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> alone.submit(Accounts.transfer(1, 0, 2, 1)).get(30, TimeUnit.SECONDS));
    assertInstanceOf(LedgerUnavailableException.class, e.getCause());
    assertTrue(
        Duration.ofNanos(System.nanoTime() - t0).toMillis() < 1000,
        "refused only after " + Duration.ofNanos(System.nanoTime() - t0));
  }
}
