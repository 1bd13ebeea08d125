package org.deoss.tests.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.ledger.Call;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.pipeline.ProgressListener;
import org.deoss.tests.cluster.LocalCluster;
import org.deoss.tests.gateway.GatewayProcess;
import org.deoss.tests.gateway.SignedHeaders;
import org.deoss.transfer.client.StorageClient;
import org.deoss.transfer.node.RemoteLedgerClient;

/**
 * Upload and download throughput through the HTTP gateway (a {@code deoss gateway} process driven
 * by curl) beside the same transfers through {@link StorageClient} in this process, in one run on
 * one cluster (a ledger node and 12 miners on loopback). Not part of the tests. Run:
 *
 * <pre>
 * mvn -B -q -Pbench -DskipTests -pl tests -am package
 * java -cp tests/target/benchmarks.jar org.deoss.tests.bench.GatewayBench [MiB] [rounds]
 * </pre>
 *
 * Defaults: 256 MiB, 2 rounds, after an unmeasured warm-up of 64 MiB each way on both paths. The
 * gateway process gets this JVM's {@code --add-modules} options, so both sides use the same
 * erasure-coding kernel (run with {@code --add-modules=jdk.incubator.vector} for the fast one).
 */
public final class GatewayBench {
  private static final int MIB = 1 << 20;

  private GatewayBench() {}

  public static void main(String[] args) throws Exception {
    long size = (args.length > 0 ? Long.parseLong(args[0]) : 256) * MIB;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path root = Files.createTempDirectory("deoss-gateway-bench");
    System.out.printf(
        "machine: %d cores, Java %s; object %d MiB, %d rounds%n",
        Runtime.getRuntime().availableProcessors(), Runtime.version(), size / MIB, rounds);
    Path file = root.resolve("object.bin");
    Path warm = root.resolve("warm.bin");
    random(file, size, 1);
    random(warm, 64L * MIB, 2);
    AccountKeys alice = AccountKeys.generate(new SecureRandom());
    try (LocalCluster cluster = new LocalCluster(root.resolve("cluster"), 12)) {
      cluster.start();
      try (RemoteLedgerClient ledger =
              RemoteLedgerClient.connect(cluster.nodeUrl(), RemoteLedgerClient.Options.defaults());
          StorageClient client = new StorageClient(alice, ledger, PipelineConfig.defaults());
          GatewayProcess gw =
              GatewayProcess.start(
                  root.resolve("gateway"),
                  cluster.nodeUrl(),
                  "1g",
                  // The same erasure-coding kernel as this process, when it has it.
                  java.lang.management.ManagementFactory.getRuntimeMXBean()
                      .getInputArguments()
                      .stream()
                      .filter(a -> a.startsWith("--add-modules"))
                      .toList())) {
        client.prepare("bench", 20, 30);
        client.transactions().announceKeyIfMissing();
        client.transactions().submitAndWait(new Call.Authorize(gw.account()));
        String download = gw.uri() + "/file/download/" + alice.id().address() + "/bench/";
        // Warm-up, not measured.
        clientPut(client, warm, "warm");
        clientGet(client, "warm");
        curl(
            alice,
            List.of("-T", warm.toString(), "-H", "Bucket: bench", gw.uri() + "/object/warm-gw"));
        curl(alice, List.of("-o", "/dev/null", download + "warm-gw"));
        for (int r = 1; r <= rounds; r++) {
          long t0 = System.nanoTime();
          clientPut(client, file, "c" + r);
          long t1 = System.nanoTime();
          clientGet(client, "c" + r);
          long t2 = System.nanoTime();
          curl(
              alice,
              List.of("-T", file.toString(), "-H", "Bucket: bench", gw.uri() + "/object/g" + r));
          long t3 = System.nanoTime();
          curl(alice, List.of("-o", "/dev/null", download + "g" + r));
          long t4 = System.nanoTime();
          System.out.printf(
              "round %d  StorageClient put %6.1f MB/s  get %6.1f MB/s   |   gateway (curl) put %6.1f"
                  + " MB/s  get %6.1f MB/s%n",
              r,
              mbps(size, t1 - t0),
              mbps(size, t2 - t1),
              mbps(size, t3 - t2),
              mbps(size, t4 - t3));
        }
      }
    } finally {
      try (var walk = Files.walk(root)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static double mbps(long bytes, long nanos) {
    return bytes / 1e6 / (nanos / 1e9);
  }

  private static void random(Path file, long size, long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buf = new byte[MIB];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= buf.length) {
        random.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, left));
      }
    }
  }

  private static void clientPut(StorageClient c, Path file, String key) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      c.put("bench", key, in, ProgressListener.NONE);
    }
  }

  private static void clientGet(StorageClient c, String key) throws Exception {
    c.get("bench", key, OutputStream.nullOutputStream(), ProgressListener.NONE);
  }

  private static void curl(AccountKeys keys, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-f"));
    cmd.addAll(SignedHeaders.curlArgs(keys));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + new String(out));
    }
  }
}
