package org.deoss.tests.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.Wallet;
import org.deoss.core.hash.Hash256;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.pipeline.ProgressListener;
import org.deoss.replication.Membership;
import org.deoss.replication.Peer;
import org.deoss.tests.cluster.LocalCluster;
import org.deoss.tests.mount.MountProcess;
import org.deoss.tests.mount.Tools;
import org.deoss.transfer.client.StorageClient;
import org.deoss.transfer.node.RemoteLedgerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicated ledger across hosts made of network namespaces: three ledger nodes (one namespace
 * each), twelve miners in four zones (one namespace per zone, three miners in it), and a {@code
 * deoss mount} in this JVM's namespace given the three node URLs (the leader's first), into which
 * files are written continuously, each acknowledged by {@code fsync}. Then:
 *
 * <ol>
 *   <li>the leader's process is killed (SIGKILL) while files are written: a write begun after the
 *       kill is acknowledged within seconds;
 *   <li>the killed node restarts; a follower is cut off the network (its link down) while writes go
 *       on, and once its link is back it catches up with the leader's head;
 *   <li>the mount stops, a whole zone's link goes down, and every file whose fsync returned reads
 *       back byte for byte through a fresh client: nothing acknowledged was lost.
 * </ol>
 *
 * Needs root and iproute2 (CI runs as root); elsewhere it is skipped with the reason.
 */
class ReplicatedNetworkTest {
  private static final String NET = "deoss-dev";
  private static final int HTTP_PORT = 8940;
  private static final int RAFT_PORT = 9940;
  private static final Duration RESUME_LIMIT = Duration.ofSeconds(20);

  @TempDir Path root;
  private final long started = System.nanoTime();

  /** Prints how far into the test a phase ended (the class must stay within a few minutes). */
  private void phase(String what) {
    System.out.printf("[%5.1f s] %s%n", (System.nanoTime() - started) / 1e9, what);
  }

  /** Processes started by the test, killed before the namespaces are deleted. */
  private static final class Processes implements AutoCloseable {
    final List<Process> all = new ArrayList<>();

    Process start(TestNetwork.Host host, Path home, String... args) throws IOException {
      Files.createDirectories(home);
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(
          List.of(
              "-Xmx192m",
              "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1",
              "-cp",
              System.getProperty("java.class.path"),
              "org.deoss.packaging.Main"));
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(TestNetwork.inNamespace(host, cmd));
      pb.environment().put("DEOSS_PASSPHRASE", LocalCluster.PASSPHRASE);
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.txt").toFile()));
      Process p = pb.start();
      all.add(p);
      return p;
    }

    @Override
    public void close() throws InterruptedException {
      for (Process p : all) {
        p.destroyForcibly();
      }
      for (Process p : all) {
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Writes files into the mount's bucket folder, each made durable by {@code fsync} (which returns
   * only once the object is committed on the ledger); what was acknowledged: file name to content
   * hash, and when the last acknowledged write started and ended.
   */
  private static final class Writer implements Runnable {
    final Map<String, Hash256> acknowledged = new ConcurrentHashMap<>();

    /**
     * When the last acknowledged write started (an ack of a write begun earlier is not counted).
     */
    final AtomicLong lastAckStartNanos = new AtomicLong();

    final AtomicLong lastAckNanos = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();
    final Path folder;
    final SplittableRandom random;

    Writer(Path folder, long seed) {
      this.folder = folder;
      this.random = new SplittableRandom(seed);
    }

    @Override
    public void run() {
      int n = 0;
      while (!stop.get()) {
        byte[] data = new byte[random.nextInt(1, 48 << 10)];
        random.nextBytes(data);
        String key = "obj-" + n;
        boolean done = false;
        while (!done && !stop.get()) {
          long started = System.nanoTime();
          try {
            try (FileChannel ch =
                FileChannel.open(
                    folder.resolve(key),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
              ByteBuffer b = ByteBuffer.wrap(data);
              while (b.hasRemaining()) {
                ch.write(b);
              }
              ch.force(true);
            }
            acknowledged.put(key, Hash256.digest(data));
            lastAckStartNanos.set(started);
            lastAckNanos.set(System.nanoTime());
            done = true;
          } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            pause(400);
          }
        }
        n++;
        pause(400);
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(String what, Duration limit, BooleanSupplier cond)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + limit + " waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  private static String awaitFile(Path file, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      if (!p.isAlive()) {
        throw new AssertionError(
            "process for "
                + file.getParent()
                + " exited:\n"
                + LocalCluster.console(file.getParent()));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no " + file + ":\n" + LocalCluster.console(file.getParent()));
  }

  @Test
  @Timeout(300)
  void threeNodesTwelveMinersFourZones_surviveLeaderKillPartitionAndZoneLoss() throws Exception {
    Optional<String> why = TestNetwork.unavailableReason();
    assumeTrue(why.isEmpty(), () -> "network namespaces cannot be made here: " + why.get());
    long seed = new SplittableRandom().nextLong();
    String context = "seed " + seed;
    try (TestNetwork net = TestNetwork.create(seed);
        Processes procs = new Processes()) {
      // Hosts: three ledger nodes, four zones.
      List<TestNetwork.Host> nodeHosts = new ArrayList<>();
      List<Peer> peers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        TestNetwork.Host h = net.addHost("node" + i, 11 + i);
        nodeHosts.add(h);
        peers.add(new Peer("n" + i, h.address(), RAFT_PORT));
      }
      List<TestNetwork.Host> zones = new ArrayList<>();
      for (int z = 0; z < 4; z++) {
        zones.add(net.addHost("zone" + z, 21 + z));
      }
      String peerSpec = String.join(",", peers.stream().map(Peer::toString).toList());
      Process[] nodes = new Process[3];
      List<URI> urls = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        nodes[i] = startNode(procs, nodeHosts.get(i), i, peerSpec);
      }
      for (int i = 0; i < 3; i++) {
        Path home = root.resolve("node-" + i);
        urls.add(URI.create(awaitFile(home.resolve("node.url"), nodes[i])));
      }
      String nodeList = String.join(",", urls.stream().map(URI::toString).toList());
      List<Process> miners = new ArrayList<>();
      for (int z = 0; z < 4; z++) {
        for (int m = 0; m < 3; m++) {
          Path home = root.resolve("miner-" + z + "-" + m);
          miners.add(
              procs.start(
                  zones.get(z),
                  home,
                  "miner",
                  "--home",
                  home.toString(),
                  "--node",
                  nodeList,
                  "--listen",
                  zones.get(z).address() + ":" + (7001 + m),
                  "--capacity",
                  "1GiB",
                  "--zone",
                  "zone-" + z,
                  "--new-wallet"));
        }
      }
      for (int i = 0; i < miners.size(); i++) {
        awaitFile(
            root.resolve("miner-" + (i / 3) + "-" + (i % 3)).resolve("miner.addr"), miners.get(i));
      }

      // The mount starts on the leader's node, so that killing the leader takes its node away.
      List<URI> clientOrder = new ArrayList<>(urls);
      int first = Integer.parseInt(await(peers).substring(1));
      clientOrder.add(0, clientOrder.remove(first));
      String mountNodes = String.join(",", clientOrder.stream().map(URI::toString).toList());
      try (RemoteLedgerClient ledger =
          RemoteLedgerClient.connect(urls, RemoteLedgerClient.Options.defaults())) {
        await("12 miners registered", Duration.ofSeconds(60), () -> ledger.miners().size() == 12);
      }
      Path account = root.resolve("account");
      Files.createDirectories(account);
      cli(account, null, "wallet", "create");
      cli(account, mountNodes, "faucet");
      cli(account, mountNodes, "space", "buy", "--gib", "1", "--days", "30");
      cli(account, mountNodes, "bucket", "create", "bench");
      Path mnt = root.resolve("mnt");
      MountProcess mount = MountProcess.start(account, mnt, mountNodes, null);
      Writer writer = new Writer(mnt.resolve("bench"), seed);
      try {
        mount.awaitMounted(Duration.ofSeconds(90));
        phase("hosts, nodes, miners and the mount are up");
        Thread writing = new Thread(writer, "replicated-network-writer");
        writing.start();
        try {
          await("5 objects written", Duration.ofSeconds(60), () -> writer.acknowledged.size() >= 5);

          // 1. Kill the leader while the client writes.
          String leader = Membership.leader(peers, NET).orElseThrow();
          int li = Integer.parseInt(leader.substring(1));
          long killedAt = System.nanoTime();
          nodes[li].destroyForcibly();
          nodes[li].waitFor(30, TimeUnit.SECONDS);
          await(
              "a write acknowledged after the leader " + leader + " was killed (" + context + ")",
              RESUME_LIMIT,
              () -> writer.lastAckStartNanos.get() > killedAt);
          Duration resumed = Duration.ofNanos(writer.lastAckNanos.get() - killedAt);
          System.out.println(
              "a write begun after killing the leader "
                  + leader
                  + " was acknowledged "
                  + resumed.toMillis()
                  + " ms after the kill");

          // 2. The killed node comes back; a follower is cut off and comes back; both catch up.
          Files.deleteIfExists(root.resolve("node-" + li).resolve("node.url"));
          nodes[li] = startNode(procs, nodeHosts.get(li), li, peerSpec);
          awaitFile(root.resolve("node-" + li).resolve("node.url"), nodes[li]);
          String leaderNow = await(peers);
          int cut = (Integer.parseInt(leaderNow.substring(1)) + 1) % 3;
          net.linkDown(nodeHosts.get(cut));
          int before = writer.acknowledged.size();
          await(
              "5 more writes with node n" + cut + " cut off (" + context + ")",
              Duration.ofSeconds(60),
              () -> writer.acknowledged.size() >= before + 5);
          long height;
          try (RemoteLedgerClient lead =
              RemoteLedgerClient.connect(
                  urls.get(Integer.parseInt(leaderNow.substring(1))),
                  RemoteLedgerClient.Options.defaults())) {
            height = lead.head().height();
          }
          phase("writes went on with n" + cut + " cut off");
          net.linkUp(nodeHosts.get(cut));
          try (RemoteLedgerClient back =
              RemoteLedgerClient.connect(urls.get(cut), RemoteLedgerClient.Options.defaults())) {
            await(
                "node n" + cut + " catches up with height " + height,
                Duration.ofSeconds(60),
                () -> back.head().height() >= height);
          }
          phase("n" + cut + " caught up");
        } finally {
          writer.stop.set(true);
          writing.join(TimeUnit.SECONDS.toMillis(60));
        }
        System.out.println(
            writer.acknowledged.size()
                + " files acknowledged by fsync, "
                + writer.failures.get()
                + " failed attempts retried");
      } finally {
        // Every acknowledged file is committed on the ledger (that is what its fsync waited for),
        // so the mount is simply killed; the check below reads through a fresh client.
        mount.kill();
        Tools.run(root, Duration.ofSeconds(10), "fusermount", "-uz", mnt.toString());
      }

      // 3. A whole zone goes down: every acknowledged file still reads, through a fresh client.
      net.linkDown(zones.get(0));
      phase("mount stopped; zone-0 down");
      AccountKeys user =
          Wallet.open(account.resolve("wallet.json"), LocalCluster.PASSPHRASE.toCharArray());
      try (RemoteLedgerClient ledger =
              RemoteLedgerClient.connect(urls, RemoteLedgerClient.Options.defaults());
          StorageClient client = new StorageClient(user, ledger, PipelineConfig.defaults())) {
        for (Map.Entry<String, Hash256> e : writer.acknowledged.entrySet()) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          client.get("bench", e.getKey(), out, ProgressListener.NONE);
          assertArrayEquals(
              e.getValue().toBytes(),
              Hash256.digest(out.toByteArray()).toBytes(),
              e.getKey() + " with zone-0 down (" + context + ")");
        }
      }
      phase("every acknowledged file read back");
      assertTrue(writer.acknowledged.size() >= 10, "acknowledged " + writer.acknowledged.size());
    }
  }

  /** {@code deoss ARGS --home HOME [--node NODES]}, failing with its output if it fails. */
  private static void cli(Path home, String nodes, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", home.toString()));
    if (nodes != null) {
      all.addAll(List.of("--node", nodes));
    }
    Tools.run(LocalCluster.deoss(all.toArray(String[]::new)), null, Duration.ofSeconds(120))
        .orThrow();
  }

  private Process startNode(Processes procs, TestNetwork.Host host, int i, String peerSpec)
      throws IOException {
    Path home = root.resolve("node-" + i);
    return procs.start(
        host,
        home,
        "node",
        "--home",
        home.toString(),
        "--listen",
        host.address() + ":" + HTTP_PORT,
        "--id",
        "n" + i,
        "--peers",
        peerSpec);
  }

  /** The leader once the group has one. */
  private static String await(List<Peer> peers) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try {
        Optional<String> l = Membership.leader(peers, NET);
        if (l.isPresent()) {
          return l.get();
        }
      } catch (IOException e) {
        // a member is still starting
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no leader within 30 s");
  }
}
