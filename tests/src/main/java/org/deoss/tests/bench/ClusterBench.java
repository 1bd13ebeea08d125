package org.deoss.tests.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.pipeline.ProgressListener;
import org.deoss.tests.cluster.LocalCluster;
import org.deoss.transfer.client.StorageClient;
import org.deoss.transfer.node.RemoteLedgerClient;

/**
 * Network throughput on this machine: a ledger node and 12 miners as processes on loopback, one
 * client in this process. Measures a 1 GiB put and get and 1,000 puts of 64 KiB objects, beside raw
 * loopback TCP and local disk (write + fsync) bandwidth measured in the same run. Not part of the
 * tests. Run:
 *
 * <pre>
 * ./bench-cluster            (builds, then java -cp tests/target/benchmarks.jar ...ClusterBench)
 * </pre>
 *
 * Arguments: {@code [bigMiB] [smallCount] [smallThreads] [segmentsInFlight] [warmupMiB]}, default
 * 1024 1000 16 3 256 (3 segments in flight, as {@code deoss put} uses with a heap of 2 GiB or
 * more). Before the measured lines the cluster is warmed up (not measured): a put and get of {@code
 * warmupMiB} and 500 small puts, so that the figures are sustained rates rather than the first
 * seconds of 14 JVMs compiling the same code on two cores ({@code -Dbench.warmupSmall=N} changes
 * the 500). {@code -Dbench.threads=N} prints the N busiest thread groups (by CPU seconds) of each
 * line.
 */
public final class ClusterBench {
  private static final int MIB = 1 << 20;
  private static final int WARMUP_SMALL = Integer.getInteger("bench.warmupSmall", 500);

  private ClusterBench() {}

  public static void main(String[] args) throws Exception {
    long bigBytes = (args.length > 0 ? Long.parseLong(args[0]) : 1024) * MIB;
    int smallCount = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    int inFlight = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    long warmupBytes = (args.length > 4 ? Long.parseLong(args[4]) : 256) * MIB;
    PipelineConfig base = PipelineConfig.defaults();
    PipelineConfig config =
        new PipelineConfig(
            base.segmentSize(),
            base.dataShards(),
            base.parityShards(),
            base.chunkSize(),
            base.successThreshold(),
            inFlight,
            base.hedgeDelay(),
            base.putAttempts());
    Path root = Files.createTempDirectory("deoss-cluster-bench");
    System.out.printf(
        "machine: %d cores, Java %s, %s%n",
        Runtime.getRuntime().availableProcessors(), Runtime.version(), cpuModel());
    try {
      System.out.printf(
          "baseline loopback TCP, 1 GiB:        %8.0f MB/s%n", loopbackTcp(1024L * MIB));
      System.out.printf(
          "baseline local disk write+fsync, 1 GiB: %8.0f MB/s%n",
          diskWrite(root.resolve("disk-baseline"), 1024L * MIB));
      try (LocalCluster cluster = new LocalCluster(root.resolve("cluster"), 12)) {
        long t0 = System.nanoTime();
        cluster.start();
        System.out.printf(
            "cluster of 1 node + 12 miners up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        AccountKeys user = AccountKeys.generate(new SecureRandom());
        try (RemoteLedgerClient ledger =
                RemoteLedgerClient.connect(
                    cluster.nodeUrl(), RemoteLedgerClient.Options.defaults());
            StorageClient client = new StorageClient(user, ledger, config)) {
          client.prepare("bench", 20, 30);
          if (warmupBytes > 0) {
            long w = System.nanoTime();
            client.put("bench", "warmup", new Generated(warmupBytes), ProgressListener.NONE);
            client.get("bench", "warmup", new Discard(), ProgressListener.NONE);
            smallPuts(client, WARMUP_SMALL, threads);
            System.out.printf(
                "warm-up (not measured): put+get %d MiB, %d small puts, %.1f s%n",
                warmupBytes / MIB, WARMUP_SMALL, (System.nanoTime() - w) / 1e9);
          }
          CpuUse cpu = CpuUse.now();
          long start = System.nanoTime();
          client.put("bench", "big", new Generated(bigBytes), ProgressListener.NONE);
          double put = rate(bigBytes, System.nanoTime() - start);
          System.out.printf(
              "put %d MiB object:                %8.0f MB/s of user data%n", bigBytes / MIB, put);
          cpu = cpu.report();
          start = System.nanoTime();
          Discard sink = new Discard();
          client.get("bench", "big", sink, ProgressListener.NONE);
          if (sink.count != bigBytes) {
            throw new IllegalStateException("read " + sink.count + " bytes of " + bigBytes);
          }
          System.out.printf(
              "get %d MiB object:                %8.0f MB/s%n",
              bigBytes / MIB, rate(bigBytes, System.nanoTime() - start));
          cpu = cpu.report();
          System.out.printf(
              "%d puts of 64 KiB, %d at a time: %8.0f puts/s%n",
              smallCount, threads, smallPuts(client, smallCount, threads));
          cpu.report();
        }
      }
    } finally {
      deleteTree(root);
    }
  }

  /**
   * CPU time used so far by this process (the client), the node and the miners (the child
   * processes, told apart by their command), by thread name where {@code /proc} tells it, to show
   * where a phase's CPU went. With {@code -Dbench.threads=N} the N busiest thread groups of each
   * phase are printed too.
   */
  private record CpuUse(long nanos, Map<String, Long> ticks) {
    private static final int TOP = Integer.getInteger("bench.threads", 0);

    static CpuUse now() {
      Map<String, Long> ticks = new HashMap<>();
      add(ticks, "client", ProcessHandle.current());
      for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
        String[] args = p.info().arguments().orElse(new String[0]);
        add(ticks, List.of(args).contains("miner") ? "miners" : "node", p);
      }
      return new CpuUse(System.nanoTime(), ticks);
    }

    /**
     * Adds the process's CPU in 10 ms ticks (Linux USER_HZ) under "kind", and that of each live
     * thread under "kind|thread name" (threads that ended since the last sample are missing from
     * these).
     */
    private static void add(Map<String, Long> ticks, String kind, ProcessHandle p) {
      long total = p.info().totalCpuDuration().map(Duration::toMillis).orElse(0L) / 10;
      ticks.merge(kind, total, Long::sum);
      Path tasks = Path.of("/proc", Long.toString(p.pid()), "task");
      try (Stream<Path> all = Files.list(tasks)) {
        for (Path t : all.toList()) {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long used = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          ticks.merge(kind + "|" + name.replaceAll("[0-9#-]+$", ""), used, Long::sum);
        }
      } catch (IOException | RuntimeException e) {
        // no per-thread figures on this platform, or the thread ended while being read
      }
    }

    /** Prints the CPU seconds used since this sample and returns a new sample. */
    CpuUse report() {
      CpuUse now = now();
      Map<String, Long> d = new HashMap<>();
      now.ticks.forEach((k, v) -> d.put(k, v - ticks.getOrDefault(k, 0L)));
      System.out.printf(
          "    cpu s: wall %.1f, client %.1f, node %.1f, 12 miners %.1f%n",
          (now.nanos - nanos) / 1e9,
          d.getOrDefault("client", 0L) / 100.0,
          d.getOrDefault("node", 0L) / 100.0,
          d.getOrDefault("miners", 0L) / 100.0);
      d.entrySet().stream()
          .filter(e -> e.getKey().contains("|") && e.getValue() > 0)
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(TOP)
          .forEach(e -> System.out.printf("      %-36s %6.1f%n", e.getKey(), e.getValue() / 100.0));
      return now;
    }
  }

  private static double smallPuts(StorageClient client, int count, int threads) throws Exception {
    byte[] data = new byte[64 << 10];
    new SplittableRandom(1).nextBytes(data);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    String prefix = "small-" + System.nanoTime() + "/"; // new keys each call: no overwrites
    try {
      long start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String key = prefix + i;
        done.add(
            pool.submit(
                () -> {
                  client.put(
                      "bench", key, new java.io.ByteArrayInputStream(data), ProgressListener.NONE);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      return count / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  private static double loopbackTcp(long bytes) throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      Thread reader =
          new Thread(
              () -> {
                try (SocketChannel s = server.accept()) {
                  ByteBuffer buf = ByteBuffer.allocateDirect(MIB);
                  while (s.read(buf) >= 0) {
                    buf.clear();
                  }
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      reader.start();
      long start = System.nanoTime();
      try (SocketChannel c = SocketChannel.open(server.getLocalAddress())) {
        ByteBuffer buf = ByteBuffer.allocateDirect(MIB);
        for (long sent = 0; sent < bytes; sent += MIB) {
          buf.clear();
          while (buf.hasRemaining()) {
            c.write(buf);
          }
        }
      }
      reader.join();
      return rate(bytes, System.nanoTime() - start);
    }
  }

  private static double diskWrite(Path file, long bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(MIB);
    long start = System.nanoTime();
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      for (long w = 0; w < bytes; w += MIB) {
        buf.clear();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      ch.force(true);
    }
    double r = rate(bytes, System.nanoTime() - start);
    Files.delete(file);
    return r;
  }

  private static double rate(long bytes, long nanos) {
    return bytes / 1e6 / (nanos / 1e9);
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** {@code size} bytes of a repeated random block, generated on the fly. */
  private static final class Generated extends InputStream {
    private static final byte[] BLOCK = new byte[16 * MIB];

    static {
      new SplittableRandom(7).nextBytes(BLOCK);
    }

    private final long size;
    private long position;

    Generated(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      return position < size ? BLOCK[(int) (position++ % BLOCK.length)] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int at = (int) (position % BLOCK.length);
      int n = (int) Math.min(Math.min(len, size - position), BLOCK.length - at);
      System.arraycopy(BLOCK, at, b, off, n);
      position += n;
      return n;
    }
  }

  private static final class Discard extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
