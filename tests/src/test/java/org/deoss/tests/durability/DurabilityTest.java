package org.deoss.tests.durability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.Wallet;
import org.deoss.core.account.WalletParams;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.MinerInfo;
import org.deoss.core.ledger.MinerStatus;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.SegmentRef;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.pipeline.ProgressListener;
import org.deoss.tests.cluster.LocalCluster;
import org.deoss.transfer.client.StorageClient;
import org.deoss.transfer.node.RemoteLedgerClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability end to end over real processes: a node, twelve miners that heartbeat every second and
 * answer challenges, the repair service as its own process ({@code deoss repair}, default threshold
 * k+2), and an in-process client that wrote objects of 1 MiB segments (RS 4+8), one fragment of
 * each segment per miner.
 *
 * <p>The tests run in order. On a network without audits, six miners are killed one after another;
 * the first five leave every segment above k+2 = 6 healthy fragments, so their repair waits, and
 * the sixth brings every segment to 6, which repairs it back to n = 12 (the repair service itself
 * is killed once half-way and restarted). Then, on a fresh network with audits every few blocks,
 * two miners that lose data are frozen, lose stake, and are repaired away; one miner exits
 * gracefully. After every step every object reads back, and at the end every fragment of every
 * object is on an ACTIVE miner's disk with its recorded id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DurabilityTest {
  private static final int MIB = 1 << 20;
  private static final int MINERS = 12;
  private static final long SEED = 20261124;
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  // Two missed challenges of a 100-block window each.
  private static final Duration FREEZE_PATIENCE = Duration.ofSeconds(150);
  private static final String BUCKET = "durable";

  @TempDir static Path root;

  /** The folder of the network running now: its cluster and the repair service's home. */
  private Path net;

  private LocalCluster cluster;
  private RemoteLedgerClient ledger;
  private StorageClient client;
  private final AccountKeys user = AccountKeys.generate(new SecureRandom());
  private final AccountKeys repairer = AccountKeys.generate(new SecureRandom());
  private final Map<String, byte[]> objects = new LinkedHashMap<>();
  private final Map<AccountId, Integer> minerIndex = new HashMap<>();
  private final Map<AccountId, Long> stakes = new HashMap<>();
  private Process repair;

  @BeforeAll
  void start() throws Exception {
    startNetwork(false);
  }

  /**
   * A node (with or without audits), twelve miners, the objects, and the repair service. The kills
   * run without audits: a killed miner misses the challenges it holds, and one frozen for that has
   * its fragments repaired at once, which is not what the threshold test is about and, under load,
   * happened before the sixth kill. The audit tests get a fresh network of their own.
   */
  private void startNetwork(boolean audits) throws Exception {
    List<String> nodeOptions = new ArrayList<>();
    if (audits) {
      nodeOptions.addAll(
          List.of(
              "--audit-every", "3",
              "--audit-miners", "4",
              "--audit-fragments", "2",
              "--audit-window", "100",
              "--fault-threshold", "2"));
    }
    nodeOptions.addAll(List.of("--offline-after", "5s", "--block-interval", "250ms"));
    net = root.resolve(audits ? "audited" : "quiet");
    cluster =
        new LocalCluster(
            net.resolve("cluster"),
            MINERS,
            nodeOptions,
            // every fragment a file: the test deletes and corrupts fragment files by name
            List.of("--heartbeat", "1s", "--prove-every", "300ms", "--packed-max", "0"));
    cluster.start();
    ledger = RemoteLedgerClient.connect(cluster.nodeUrl(), RemoteLedgerClient.Options.defaults());
    client = new StorageClient(user, ledger, PipelineConfig.defaults().withSegmentSize(MIB));
    client.prepare(BUCKET, 1, 30);
    SplittableRandom random = new SplittableRandom(SEED);
    for (int size : new int[] {1, MIB - 1, 3 * MIB + 7, 5 * MIB}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      objects.put("obj-" + size, data);
      client.put(BUCKET, "obj-" + size, new ByteArrayInputStream(data), ProgressListener.NONE);
    }
    for (int i = 0; i < MINERS; i++) {
      String addr = Files.readString(cluster.minerHome(i).resolve("miner.addr")).strip();
      for (MinerInfo m : ledger.miners()) {
        if (m.endpoint().equals(addr)) {
          minerIndex.put(m.id(), i);
        }
      }
    }
    assertEquals(MINERS, minerIndex.size(), "every miner found on the ledger");
    for (MinerInfo m : ledger.miners()) {
      stakes.put(m.id(), m.stake());
    }
    // The repair service has its own account, which the user authorizes to repair its objects.
    Path home = net.resolve("repair");
    Files.createDirectories(home);
    Wallet.create(
        home.resolve("wallet.json"),
        repairer,
        LocalCluster.PASSPHRASE.toCharArray(),
        WalletParams.DEFAULT,
        new SecureRandom());
    client.transactions().submitAndWait(new Call.Authorize(repairer.id()));
    client.transactions().submitAndWait(new Call.Transfer(repairer.id(), Genesis.TOKEN));
    startRepair("64MiB");
  }

  @AfterAll
  void stop() throws Exception {
    stopNetwork();
  }

  private void stopNetwork() throws Exception {
    if (repair != null) {
      repair.destroy();
      repair.waitFor(30, TimeUnit.SECONDS);
    }
    if (client != null) {
      client.close();
    }
    if (ledger != null) {
      ledger.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    repair = null;
    client = null;
    ledger = null;
    cluster = null;
    objects.clear();
    minerIndex.clear();
    stakes.clear();
  }

  @Test
  @Order(2)
  @Timeout(300)
  void minersThatDeleteOrCorruptFragments_failTheirChallenges_areFrozen_andRepairedAway()
      throws Exception {
    stopNetwork();
    startNetwork(true);
    // Two different miners.
    AccountId deleter = holderOfFragment(0);
    int other = 1;
    while (holderOfFragment(other).equals(deleter)) {
      other++;
    }
    AccountId corrupter = holderOfFragment(other);
    for (Path f : fragmentFiles(deleter)) {
      Files.delete(f);
    }
    for (Path f : fragmentFiles(corrupter)) {
      flipByte(f, 10);
    }
    // Counted after the damage: an answer already being built may still land.
    long proofsBefore = ledger.miner(deleter).orElseThrow().proofs();
    await(
        FREEZE_PATIENCE,
        () -> status(deleter) == MinerStatus.FROZEN && status(corrupter) == MinerStatus.FROZEN,
        () -> "both miners frozen; now " + ledger.miner(deleter) + " / " + ledger.miner(corrupter));
    assertTrue(
        ledger.miner(deleter).orElseThrow().proofs() <= proofsBefore + 1,
        "no proof after the deletion (one may have been in flight)");
    assertTrue(
        ledger.miners().stream()
            .anyMatch(m -> !m.id().equals(deleter) && !m.id().equals(corrupter) && m.proofs() > 0),
        "honest miners answered their challenges");
    for (AccountId m : List.of(deleter, corrupter)) {
      MinerInfo info = ledger.miner(m).orElseThrow();
      assertEquals(info.faults() * Genesis.TOKEN, info.penalties(), "slashed per fault: " + info);
      assertEquals(stakes.get(m), info.stake() + info.penalties(), "what is left: " + info);
    }
    assertTrue(
        ledger.miners().stream().anyMatch(m -> m.rewards() > 0), "honest proofs were rewarded");
    awaitRepaired();
    assertReadAll("after two miners were frozen and repaired away");
  }

  @Test
  @Order(3)
  @Timeout(120)
  void aGracefulExit_losesNothing_andReturnsTheStake() throws Exception {
    AccountId leaving = holderOfFragment(2);
    MinerInfo before = ledger.miner(leaving).orElseThrow();
    long balance = ledger.account(leaving).balance();
    Path home = cluster.minerHome(minerIndex.get(leaving));
    ProcessBuilder pb =
        LocalCluster.deoss(
            "256m",
            new String[] {
              "miner",
              "exit",
              "--home",
              home.toString(),
              "--node",
              cluster.nodeUrl().toString(),
              "--wait"
            });
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("exit.txt").toFile()));
    Process exit = pb.start();
    assertReadAll("while the miner exits");
    if (!exit.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
      exit.destroyForcibly();
      fail("miner exit did not finish: " + Files.readString(home.resolve("exit.txt")));
    }
    assertEquals(0, exit.exitValue(), Files.readString(home.resolve("exit.txt")));
    assertTrue(ledger.miner(leaving).isEmpty(), "the miner left the ledger");
    // An answer to a challenge open when it exited may still earn a reward.
    long gained = ledger.account(leaving).balance() - balance;
    assertTrue(
        gained >= before.stake() && gained <= before.stake() + Genesis.TOKEN,
        "stake returned: " + gained + " for a stake of " + before.stake());
    awaitRepaired();
    assertReadAll("after a graceful exit");
  }

  @Test
  @Order(1)
  @Timeout(300)
  void killingSixMinersOneAfterAnother_keepsEveryObjectReadable_andRepairsAtKPlus2BackToN()
      throws Exception {
    for (ObjectRecord o : records()) {
      for (SegmentRef s : o.manifest().segments()) {
        assertEquals(MINERS, holders(s).size(), "one fragment of each segment per miner");
      }
    }
    List<AccountId> dead = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      int i = nextVictim();
      AccountId id = idOf(i);
      cluster.kill(i);
      dead.add(id);
      assertReadAll("right after killing miner " + i + " (" + dead.size() + " killed)");
      await(
          () -> status(id) == MinerStatus.OFFLINE,
          () -> "miner " + id + " offline; now " + status(id));
      assertReadAll("with " + dead.size() + " miners offline");
    }
    // Every segment keeps 7 healthy fragments, above k+2: the service sees the orders and waits.
    int held = fragmentsOn(dead);
    assertEquals(
        5 * segments(),
        held,
        "no segment was repaired: none fell to k+2 (a miner frozen or offline under load would"
            + " make one fall); miners "
            + ledger.miners());
    await(
        () -> ledger.repairOrders(0, 1000).size() == held && lastDeferred() == held,
        () ->
            "the repair service deferred every order; open "
                + ledger.repairOrders(0, 1000).size()
                + ", deferred "
                + lastDeferred());
    assertEquals(
        held, fragmentsOn(dead), "nothing repaired above the threshold; miners " + ledger.miners());

    // The sixth kill brings every segment to 6 = k+2 healthy: repaired back to 12, killed once
    // half-way through.
    int six = nextVictim();
    cluster.kill(six);
    dead.add(idOf(six));
    assertReadAll("right after killing the sixth miner");
    interruptRepairHalfWay(dead);
    awaitRepaired();
    assertReadAll("after the repair");
    assertEquals(0, fragmentsOn(dead));
    assertEveryFragmentHealthy();
  }

  /**
   * A running ACTIVE miner without faults. Under load an honest miner may miss a challenge; one
   * that did could be frozen by the challenge it holds when it dies, and a frozen miner's fragments
   * are repaired at once, which is not what the first kills are about.
   */
  private int nextVictim() {
    for (int i = 0; i < MINERS; i++) {
      MinerInfo m = ledger.miner(idOf(i)).orElse(null);
      if (cluster.isMinerAlive(i)
          && m != null
          && m.status() == MinerStatus.ACTIVE
          && m.faults() == 0) {
        return i;
      }
    }
    throw new AssertionError("no running miner without faults: " + ledger.miners());
  }

  /** Slows the service, kills it once it moved part of the dead miners' fragments, restarts it. */
  private void interruptRepairHalfWay(List<AccountId> dead) throws Exception {
    stopRepair(true);
    await(
        () -> status(dead.get(dead.size() - 1)) == MinerStatus.OFFLINE,
        () -> "the last miner killed is offline");
    int before = fragmentsOn(dead);
    startRepair("512KiB");
    await(
        () -> fragmentsOn(dead) < before,
        () -> "the slowed repair moved something; still " + fragmentsOn(dead));
    stopRepair(true);
    assertTrue(
        fragmentsOn(dead) > 0,
        "the kill came half-way (" + fragmentsOn(dead) + " of " + before + " left)");
    startRepair("64MiB");
  }

  private int segments() {
    return records().stream().mapToInt(o -> o.manifest().segments().size()).sum();
  }

  private static java.util.Set<AccountId> holders(SegmentRef s) {
    java.util.Set<AccountId> out = new java.util.HashSet<>();
    for (FragmentRef f : s.fragments()) {
      out.add(f.miner());
    }
    return out;
  }

  private String repairLog() {
    try {
      Path log = net.resolve("repair").resolve("logs").resolve("repair.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** The order count of the repair service's last "orders wait" line, or -1. */
  private int lastDeferred() {
    String log = repairLog();
    int at = log.lastIndexOf(" orders wait");
    if (at < 0) {
      return -1;
    }
    int start = log.lastIndexOf(' ', at - 1) + 1;
    return Integer.parseInt(log.substring(start, at));
  }

  // ---- helpers

  private void startRepair(String rate) throws IOException {
    Path home = net.resolve("repair");
    ProcessBuilder pb =
        LocalCluster.deoss(
            "256m",
            new String[] {
              "repair",
              "--home",
              home.toString(),
              "--node",
              cluster.nodeUrl().toString(),
              "--rate",
              rate,
              "--interval",
              "300ms",
              "--timeout",
              "5s"
            });
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.txt").toFile()));
    repair = pb.start();
  }

  private void stopRepair(boolean kill) throws InterruptedException {
    if (kill) {
      repair.destroyForcibly();
    } else {
      repair.destroy();
    }
    repair.waitFor(30, TimeUnit.SECONDS);
  }

  private AccountId idOf(int index) {
    return minerIndex.entrySet().stream()
        .filter(e -> e.getValue() == index)
        .findFirst()
        .orElseThrow()
        .getKey();
  }

  private MinerStatus status(AccountId miner) {
    return ledger.miner(miner).map(MinerInfo::status).orElse(null);
  }

  private List<ObjectRecord> records() {
    List<ObjectRecord> out = new ArrayList<>();
    for (String key : objects.keySet()) {
      out.add(ledger.object(user.id(), BUCKET, key).orElseThrow());
    }
    return out;
  }

  /** The miner of fragment {@code index} of the big object's first segment. */
  private AccountId holderOfFragment(int index) {
    ObjectRecord big = ledger.object(user.id(), BUCKET, "obj-" + 5 * MIB).orElseThrow();
    return big.manifest().segments().get(0).fragments().get(index).miner();
  }

  private int fragmentsOn(List<AccountId> miners) {
    int n = 0;
    for (ObjectRecord o : records()) {
      for (SegmentRef s : o.manifest().segments()) {
        for (FragmentRef f : s.fragments()) {
          n += miners.contains(f.miner()) ? 1 : 0;
        }
      }
    }
    return n;
  }

  /** Waits until no repair order is open and no fragment sits on a miner that is not ACTIVE. */
  private void awaitRepaired() throws Exception {
    await(
        () -> {
          if (!ledger.repairOrders(0, 10).isEmpty()) {
            return false;
          }
          for (ObjectRecord o : records()) {
            for (SegmentRef s : o.manifest().segments()) {
              for (FragmentRef f : s.fragments()) {
                if (status(f.miner()) != MinerStatus.ACTIVE) {
                  return false;
                }
              }
            }
          }
          return true;
        },
        () -> "repair finished; open orders: " + ledger.repairOrders(0, 5));
  }

  private void assertEveryFragmentHealthy() throws IOException {
    for (ObjectRecord o : records()) {
      for (SegmentRef s : o.manifest().segments()) {
        assertEquals(12, s.fragments().size());
        for (FragmentRef f : s.fragments()) {
          assertEquals(MinerStatus.ACTIVE, status(f.miner()), o.key() + " fragment " + f.index());
          Path file = fragmentFile(minerIndex.get(f.miner()), f.hash());
          byte[] bytes = Files.readAllBytes(file);
          assertEquals(
              f.hash(),
              FragmentMerkle.root(bytes, 0, bytes.length),
              o.key() + " segment " + s.index() + " fragment " + f.index());
        }
      }
    }
  }

  private void assertReadAll(String when) throws IOException {
    for (Map.Entry<String, byte[]> e : objects.entrySet()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      client.get(BUCKET, e.getKey(), out, ProgressListener.NONE);
      assertArrayEquals(e.getValue(), out.toByteArray(), e.getKey() + " " + when);
    }
  }

  private void await(BooleanSupplier condition, Supplier<String> what) throws Exception {
    await(PATIENCE, condition, what);
  }

  private void await(Duration patience, BooleanSupplier condition, Supplier<String> what)
      throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail(
            "timed out waiting for: "
                + what.get()
                + "\n--- repair service:\n"
                + LocalCluster.console(net.resolve("repair")));
      }
      Thread.sleep(200);
    }
  }

  private List<Path> fragmentFiles(AccountId miner) throws IOException {
    List<Path> out = new ArrayList<>();
    for (ObjectRecord o : records()) {
      for (SegmentRef s : o.manifest().segments()) {
        for (FragmentRef f : s.fragments()) {
          if (f.miner().equals(miner)) {
            out.add(fragmentFile(minerIndex.get(miner), f.hash()));
          }
        }
      }
    }
    return out;
  }

  private Path fragmentFile(int miner, Hash256 id) throws IOException {
    try (Stream<Path> files = Files.walk(cluster.minerHome(miner).resolve("fragments"))) {
      return files
          .filter(p -> p.getFileName().toString().equals(id.toHex()))
          .findFirst()
          .orElseThrow(() -> new AssertionError("fragment " + id + " not on miner " + miner));
    }
  }

  private static void flipByte(Path file, long offset) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, offset);
      ch.write(ByteBuffer.wrap(new byte[] {(byte) (b.get(0) ^ 0x40)}), offset);
      ch.force(true);
    }
  }
}
