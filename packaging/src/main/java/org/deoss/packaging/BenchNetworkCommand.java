package org.deoss.packaging;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
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
import org.deoss.core.pipeline.PipelineConfig;
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
    Path home = Files.createTempDirectory("deoss-bench-");
    try (TempHome temp = TempHome.register(home)) {
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

  private BenchReport run(TempHome temp, long bytes) throws Exception {
    Path home = temp.home;
    PrintWriter err = spec.commandLine().getErr();
    Daemons.logTo(home, "bench");
    progress(err, "baselines: loopback TCP and disk write+fsync of " + Sizes.format(bytes));
    double tcp = BenchBaselines.loopbackTcp(bytes);
    double disk = BenchBaselines.diskWriteFsync(home, bytes);
    progress(err, "starting the ledger node and " + miners + " miners in " + home);
    long capacity = Math.max(4L << 30, 4 * bytes / miners + (1L << 30));
    char[] passphrase = new char[24];
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < passphrase.length; i++) {
      passphrase[i] = (char) ('a' + random.nextInt(26));
    }
    long started = System.nanoTime();
    LocalNetwork net =
        LocalNetwork.start(new LocalNetwork.Config(home, miners, 0, capacity, passphrase));
    try (AutoCloseable stop = temp.stopFirst(net)) {
      progress(
          err,
          String.format(
              java.util.Locale.ROOT,
              "network up in %.1f s at %s",
              (System.nanoTime() - started) / 1e9,
              net.nodeUrl()));
      AccountKeys user = AccountKeys.generate(random);
      long gib = Math.max(10, 4 * bytes / (1L << 30) + 1);
      try (RemoteLedgerClient ledger =
              RemoteLedgerClient.connect(net.nodeUrl(), RemoteLedgerClient.Options.defaults());
          StorageClient client = new StorageClient(user, ledger, PipelineConfig.defaults())) {
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

  /**
   * The temporary home: deleted on {@link #close}, or by a shutdown hook if the JVM stops first
   * (Ctrl-C), after stopping what {@link #stopFirst} was given; whichever comes first does it,
   * once.
   */
  static final class TempHome implements AutoCloseable {
    final Path home;
    private final Thread hook;
    private boolean deleted;
    private AutoCloseable running;

    private TempHome(Path home) {
      this.home = home;
      this.hook = new Thread(this::delete, "deoss-bench-cleanup");
    }

    static TempHome register(Path home) {
      TempHome t = new TempHome(home);
      Runtime.getRuntime().addShutdownHook(t.hook);
      return t;
    }

    /**
     * Registers what runs in the home, to be stopped before the home is deleted; the returned
     * handle stops it (once) on the normal path.
     */
    synchronized AutoCloseable stopFirst(AutoCloseable service) {
      running = service;
      return this::stopRunning;
    }

    private synchronized void stopRunning() throws Exception {
      AutoCloseable r = running;
      running = null;
      if (r != null) {
        r.close();
      }
    }

    private synchronized void delete() {
      if (!deleted) {
        deleted = true;
        try {
          stopRunning();
        } catch (Exception e) {
          System.err.println("deoss bench: stopping the network: " + e.getMessage());
        }
        Trees.deleteQuietly(home);
      }
    }

    @Override
    public void close() {
      delete();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is stopping: the hook has run or is running
      }
    }
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

  /** Deletes a folder tree. */
  static final class Trees {
    private Trees() {}

    static void deleteQuietly(Path root) {
      try (var walk = Files.walk(root)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException | RuntimeException e) {
        System.err.println("deoss bench: could not delete " + root + ": " + e.getMessage());
      }
    }
  }
}
