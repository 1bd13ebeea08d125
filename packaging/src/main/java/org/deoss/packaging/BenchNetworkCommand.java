package org.deoss.packaging;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.pipeline.ProgressListener;
import org.deoss.transfer.client.StorageClient;
import org.deoss.transfer.node.RemoteLedgerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deoss bench network}: a throwaway network of {@code deoss up} (embedded ledger, node
 * server, miners on loopback) in a temporary home, one account, and timed puts and gets through the
 * node's HTTP API, beside loopback TCP and disk write+fsync measured in the same run. The temporary
 * home is deleted afterwards, also on failure and on Ctrl-C.
 */
@Command(
    name = "network",
    mixinStandardHelpOptions = true,
    description = {
      "Start a throwaway local network in this process, as deoss up does (the ledger node and"
          + " miners on loopback, in a temporary folder that is deleted afterwards, also on"
          + " Ctrl-C), create an account (faucet, space, bucket) and time: a put and a get of"
          + " one object of SIZE, and COUNT puts of 64 KiB objects, PARALLEL at a time.",
      "Baselines from the same run: loopback TCP and disk write+fsync (in the temporary folder)"
          + " of SIZE. A short warm-up (not counted) comes first. Progress goes to standard"
          + " error, results to standard output."
    })
final class BenchNetworkCommand implements Callable<Integer> {
  private static final int SMALL = 64 << 10;
  private static final int MIB = 1 << 20;
  private static final String BUCKET = "bench";

  @Spec CommandSpec spec;

  @Option(
      names = "--miners",
      paramLabel = "N",
      defaultValue = "12",
      description = "Miners to start, 1 to 64 (default: ${DEFAULT-VALUE}).")
  int miners;

  @Option(
      names = "--size",
      paramLabel = "SIZE",
      defaultValue = "256MiB",
      description = "The large object (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(
      names = "--small",
      paramLabel = "COUNT",
      defaultValue = "200",
      description = "How many 64 KiB objects to put (default: ${DEFAULT-VALUE}).")
  int small;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "16",
      description = "Small puts at a time (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(names = "--json", description = "Print the results as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    long bytes = BenchCommand.size("--size", size, 1, 1L << 40);
    BenchCommand.count("--miners", miners, 1, 64);
    BenchCommand.count("--small", small, 1, 1_000_000);
    BenchCommand.count("--parallel", parallel, 1, 256);
    try (BenchHome temp = BenchHome.create()) {
      BenchReport report = run(temp, bytes);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        report.printJson(out);
      } else {
        report.printTable(out);
      }
    }
    return 0;
  }

  private BenchReport run(BenchHome temp, long bytes) throws Exception {
    Path home = temp.dir;
    PrintWriter err = spec.commandLine().getErr();
    Daemons.logTo(home, "bench");
    progress(err, "baselines: loopback TCP and disk write+fsync of " + Sizes.format(bytes));
    double tcp = BenchBaselines.loopbackTcp(bytes);
    double disk = BenchBaselines.diskWriteFsync(home, bytes);
    LocalNetwork net = startNetwork(temp, miners, bytes, err, "deoss bench network");
    SecureRandom random = new SecureRandom();
    try (AutoCloseable stop = temp.stopFirst(net)) {
      AccountKeys user = AccountKeys.generate(random);
      long gib = spaceGib(bytes);
      try (RemoteLedgerClient ledger =
              RemoteLedgerClient.connect(net.nodeUrl(), RemoteLedgerClient.Options.defaults());
          StorageClient client = new StorageClient(user, ledger, Pipelines.forThisJvm())) {
        progress(err, "account: faucet, " + gib + " GiB of space, bucket " + BUCKET);
        client.prepare(BUCKET, gib, 30);
        long warm = Math.min(bytes, 32L * MIB);
        progress(
            err, "warm-up (not counted): put and get " + Sizes.format(warm) + ", 16 small puts");
        client.put(BUCKET, "warm-up", new Generated(warm), ProgressListener.NONE);
        client.get(BUCKET, "warm-up", new Discard(), ProgressListener.NONE);
        smallPuts(client, "warm-up-small/", 16);
        progress(err, "put " + Sizes.format(bytes));
        long t = System.nanoTime();
        client.put(BUCKET, "large", new Generated(bytes), ProgressListener.NONE);
        double put = BenchReport.mbPerSecond(bytes, System.nanoTime() - t);
        progress(err, "get " + Sizes.format(bytes));
        Discard sink = new Discard();
        t = System.nanoTime();
        client.get(BUCKET, "large", sink, ProgressListener.NONE);
        double get = BenchReport.mbPerSecond(bytes, System.nanoTime() - t);
        if (sink.count != bytes) {
          throw new IllegalStateException("get returned " + sink.count + " bytes of " + bytes);
        }
        progress(err, small + " puts of 64 KiB, " + parallel + " at a time");
        double puts = smallPuts(client, "small/", small);
        BenchReport.Baseline diskLine =
            new BenchReport.Baseline("disk write+fsync " + Sizes.format(bytes), disk);
        BenchReport.Baseline tcpLine =
            new BenchReport.Baseline("loopback TCP " + Sizes.format(bytes), tcp);
        BenchReport report =
            new BenchReport(
                "deoss bench network: 1 ledger node + "
                    + miners
                    + " miners on loopback in this process, one client over HTTP");
        report.note(BenchPipelineCommand.machine());
        report.note(
            "one run per line (best = median); the large object is "
                + Sizes.format(bytes)
                + "; RS 4+8 writes 3 bytes of fragments per byte of data");
        report.add(
            new BenchReport.Line(
                "put " + Sizes.format(bytes) + " object",
                "MB/s",
                put,
                put,
                List.of(diskLine, tcpLine)));
        report.add(
            new BenchReport.Line(
                "get " + Sizes.format(bytes) + " object", "MB/s", get, get, List.of(tcpLine)));
        report.add(
            new BenchReport.Line(
                small + " puts of 64 KiB, " + parallel + " at a time",
                "puts/s",
                puts,
                puts,
                List.of(diskLine)));
        return report;
      }
    }
  }

  /**
   * Starts the network of {@code deoss up} in the temporary home, with free ports, miners' wallets
   * under a random passphrase and room for {@code bytes}. The caller registers it with {@link
   * BenchHome#stopFirst}.
   */
  static LocalNetwork startNetwork(
      BenchHome temp, int miners, long bytes, PrintWriter err, String who)
      throws IOException, InterruptedException {
    err.println(
        who + ": starting the ledger node and " + miners + " miners in " + temp.dir + " ...");
    err.flush();
    long capacity = Math.max(4L << 30, 4 * bytes / miners + (1L << 30));
    char[] passphrase = new char[24];
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < passphrase.length; i++) {
      passphrase[i] = (char) ('a' + random.nextInt(26));
    }
    long started = System.nanoTime();
    LocalNetwork net =
        LocalNetwork.start(new LocalNetwork.Config(temp.dir, miners, 0, capacity, passphrase));
    err.println(
        String.format(
            java.util.Locale.ROOT,
            "%s: network up in %.1f s at %s ...",
            who,
            (System.nanoTime() - started) / 1e9,
            net.nodeUrl()));
    err.flush();
    return net;
  }

  /** GiB of space to buy for a run that stores about {@code bytes}. */
  static long spaceGib(long bytes) {
    return Math.max(10, 4 * bytes / (1L << 30) + 1);
  }

  private double smallPuts(StorageClient client, String prefix, int count) throws Exception {
    byte[] data = new byte[SMALL];
    new SplittableRandom().nextBytes(data);
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      long start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String key = prefix + i;
        done.add(
            pool.submit(
                () ->
                    client.put(
                        BUCKET, key, new ByteArrayInputStream(data), ProgressListener.NONE)));
      }
      for (Future<?> f : done) {
        f.get();
      }
      return count / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void progress(PrintWriter err, String what) {
    err.println("deoss bench network: " + what + " ...");
    err.flush();
  }

  /** {@code size} bytes of a repeated random block, made on the fly. */
  static final class Generated extends InputStream {
    private static final int BLOCK = 16 * MIB;
    private final byte[] block;
    private final long size;
    private long position;

    Generated(long size) {
      this.size = size;
      this.block = new byte[(int) Math.min(size, BLOCK)];
      new SplittableRandom().nextBytes(block);
    }

    @Override
    public int read() {
      return position < size ? block[(int) (position++ % block.length)] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int at = (int) (position % block.length);
      int n = (int) Math.min(Math.min(len, size - position), block.length - at);
      System.arraycopy(block, at, b, off, n);
      position += n;
      return n;
    }
  }

  /** Counts what it is given and keeps none of it. */
  static final class Discard extends OutputStream {
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
