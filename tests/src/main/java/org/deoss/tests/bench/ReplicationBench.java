package org.deoss.tests.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.ledger.PutCondition;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.manifest.SegmentRef;
import org.deoss.core.port.TxBuilder;
import org.deoss.transfer.node.RemoteLedgerClient;

/**
 * Committed object puts per second and the latency of one commit, through {@code deoss node}
 * processes on loopback: one embedded node (journal fsynced per block) versus three replicated
 * nodes (Raft log fsynced on a majority), measured in the same run with the same client. Each put
 * is a {@code PutObject} of a 1 MiB object (one segment, 12 fragments on 12 registered miner
 * accounts; no data moves: this measures the ledger). Phases: one client thread (latency of one
 * commit, p50/p99), then {@code threads} threads each with its own account (throughput).
 *
 * <pre>
 *   ./bench-replication [seconds per phase, default 15] [threads, default 32]
 * </pre>
 */
public final class ReplicationBench {
  private static final String NET = "deoss-dev";

  private ReplicationBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    Path root = Files.createTempDirectory("deoss-replication-bench");
    List<String> lines = new ArrayList<>();
    try (Nodes embedded = Nodes.embedded(root.resolve("embedded"))) {
      lines.addAll(measure("embedded (1 node)", embedded.urls, seconds, threads));
    }
    try (Nodes replicated = Nodes.replicated(root.resolve("replicated"), 3)) {
      lines.addAll(measure("replicated (3 nodes)", replicated.urls, seconds, threads));
    }
    System.out.println();
    lines.forEach(System.out::println);
  }

  private static List<String> measure(String name, List<URI> urls, int seconds, int threads)
      throws Exception {
    try (RemoteLedgerClient ledger =
        RemoteLedgerClient.connect(urls, RemoteLedgerClient.Options.defaults())) {
      List<AccountKeys> miners = new ArrayList<>();
      List<CompletableFuture<Receipt>> setup = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        AccountKeys m = keys(1000 + i);
        miners.add(m);
        TxBuilder b = new TxBuilder(ledger, m);
        b.submitAndWait(new Call.Faucet());
        setup.add(
            b.submit(
                new Call.RegisterMiner(
                    "127.0.0.1:9", 1L << 40, 10 * 1_000_000_000_000L, "z" + (i % 4))));
      }
      List<AccountKeys> owners = new ArrayList<>();
      for (int i = 0; i <= threads; i++) {
        AccountKeys o = keys(1 + i);
        owners.add(o);
        TxBuilder b = new TxBuilder(ledger, o);
        b.submitAndWait(new Call.Faucet());
        setup.add(b.submit(new Call.BuySpace(10, 30)));
        setup.add(b.submit(new Call.CreateBucket(o.id(), "bench")));
      }
      for (CompletableFuture<Receipt> f : setup) {
        f.join();
      }
      List<String> out = new ArrayList<>();
      Result one = run(ledger, owners.subList(0, 1), 0, miners, seconds);
      out.add(
          String.format(
              "%-22s 1 thread : %7.1f puts/s  commit p50 %6.2f ms  p99 %6.2f ms  (%d puts)",
              name, one.rate, one.p50, one.p99, one.count));
      Result many = run(ledger, owners.subList(1, 1 + threads), 1, miners, seconds);
      out.add(
          String.format(
              "%-22s %d threads: %7.1f puts/s  commit p50 %6.2f ms  p99 %6.2f ms  (%d puts)",
              name, threads, many.rate, many.p50, many.p99, many.count));
      System.out.println(out.get(0));
      System.out.println(out.get(1));
      return out;
    }
  }

  private record Result(double rate, double p50, double p99, int count) {}

  private static Result run(
      RemoteLedgerClient ledger,
      List<AccountKeys> owners,
      int firstOwner,
      List<AccountKeys> miners,
      int seconds)
      throws InterruptedException {
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    List<long[]> perThread = new ArrayList<>();
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < owners.size(); t++) {
      AccountKeys owner = owners.get(t);
      long[] lat = new long[1 << 20];
      perThread.add(lat);
      int index = firstOwner + t;
      Thread th =
          new Thread(
              () -> {
                SplittableRandom rnd = new SplittableRandom(index);
                long nonce = ledger.nextNonce(owner.id());
                int n = 0;
                while (!stop.get()) {
                  SignedTransaction tx = put(owner, index, miners, rnd, nonce++);
                  long t0 = System.nanoTime();
                  ledger.submit(tx).join();
                  long took = System.nanoTime() - t0;
                  if (measuring.get() && n < lat.length - 1) {
                    lat[++n] = took;
                    lat[0] = n;
                  }
                }
              },
              "bench-" + t);
      ts.add(th);
      th.start();
    }
    Thread.sleep(3000); // warm-up
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    measuring.set(false);
    long elapsed = System.nanoTime() - start;
    stop.set(true);
    for (Thread th : ts) {
      th.join();
    }
    int total = 0;
    for (long[] l : perThread) {
      total += (int) l[0];
    }
    long[] all = new long[total];
    int k = 0;
    for (long[] l : perThread) {
      System.arraycopy(l, 1, all, k, (int) l[0]);
      k += (int) l[0];
    }
    Arrays.sort(all);
    double p50 = total == 0 ? 0 : all[(int) (total * 0.50)] / 1e6;
    double p99 = total == 0 ? 0 : all[Math.min(total - 1, (int) (total * 0.99))] / 1e6;
    return new Result(total / (elapsed / 1e9), p50, p99, total);
  }

  private static SignedTransaction put(
      AccountKeys owner,
      int ownerIndex,
      List<AccountKeys> miners,
      SplittableRandom rnd,
      long nonce) {
    int k = (int) (nonce % 500);
    byte[] id = new byte[ObjectId.LENGTH];
    id[0] = (byte) ownerIndex;
    id[3] = (byte) (ownerIndex >> 8);
    id[1] = (byte) (k >> 8);
    id[2] = (byte) k;
    long size = 1 << 20;
    int encrypted = (int) size + 16 * 16;
    int fragment = (encrypted + 3) / 4;
    List<FragmentRef> frags = new ArrayList<>(12);
    for (int i = 0; i < 12; i++) {
      frags.add(new FragmentRef(i, randomHash(rnd), fragment, miners.get(i).id()));
    }
    SegmentRef seg = new SegmentRef(0, (int) size, encrypted, randomHash(rnd), frags);
    ObjectManifest m =
        new ObjectManifest(
            ObjectId.of(id), size, 32 << 20, 4, 8, 64 << 10, randomHash(rnd), List.of(seg));
    Call.PutObject call =
        new Call.PutObject(
            owner.id(),
            "bench",
            "photos/img-" + k + ".jpg",
            m,
            PosixAttributes.file(0100644, nonce),
            Access.privateTo(owner.id(), new byte[80]),
            PutCondition.none());
    return SignedTransaction.sign(owner, NET, nonce, call);
  }

  private static Hash256 randomHash(SplittableRandom rnd) {
    byte[] b = new byte[32];
    rnd.nextBytes(b);
    return Hash256.of(b);
  }

  private static AccountKeys keys(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    seed[1] = (byte) (n >> 8);
    seed[2] = 43;
    return AccountKeys.fromSeed(seed);
  }

  /** {@code deoss node} processes on loopback, stopped (SIGTERM) on close. */
  private static final class Nodes implements AutoCloseable {
    final List<Process> processes = new ArrayList<>();
    final List<URI> urls = new ArrayList<>();

    static Nodes embedded(Path dir) throws Exception {
      Nodes n = new Nodes();
      n.start(dir.resolve("n0"), "node", "--listen", "127.0.0.1:0");
      return n;
    }

    static Nodes replicated(Path dir, int count) throws Exception {
      Nodes n = new Nodes();
      List<String> peers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        peers.add("n" + i + "=127.0.0.1:" + freePort());
      }
      String spec = String.join(",", peers);
      for (int i = 0; i < count; i++) {
        n.start(
            dir.resolve("n" + i),
            "node",
            "--listen",
            "127.0.0.1:0",
            "--id",
            "n" + i,
            "--peers",
            spec);
      }
      return n;
    }

    private void start(Path home, String... args) throws Exception {
      Files.createDirectories(home);
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(
          List.of(
              "-Xmx512m",
              "-cp",
              System.getProperty("java.class.path"),
              "org.deoss.packaging.Main"));
      cmd.addAll(List.of(args));
      cmd.addAll(List.of("--home", home.toString()));
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(home.resolve("console.txt").toFile()))
              .start();
      processes.add(p);
      Path url = home.resolve("node.url");
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!Files.exists(url)) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new IOException(
              "node in "
                  + home
                  + " did not start: "
                  + Files.readString(home.resolve("console.txt")));
        }
        Thread.sleep(50);
      }
      urls.add(URI.create(Files.readString(url, StandardCharsets.UTF_8).strip()));
    }

    private static int freePort() throws IOException {
      try (ServerSocket s = new ServerSocket(0)) {
        return s.getLocalPort();
      }
    }

    @Override
    public void close() throws InterruptedException {
      processes.forEach(Process::destroy);
      for (Process p : processes) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }
}
