package org.deoss.packaging;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.deoss.cache.CacheConfig;
import org.deoss.cache.ObjectStore;
import org.deoss.cache.WriteBackCache.PendingFile;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.pipeline.ProgressListener;
import org.deoss.fs.DeossMount;
import org.deoss.fs.MountOptions;
import org.deoss.transfer.client.StorageClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deoss bench mount}: one file of SIZE written and read through a temporary mount of a
 * throwaway {@code deoss up} network, beside the same in a plain folder of the same disk. The write
 * counts until the file is committed on the ledger; the read comes from a new mount with an empty
 * cache.
 */
@Command(
    name = "mount",
    mixinStandardHelpOptions = true,
    description = {
      "Write one file of SIZE through a temporary DeOSS mount (a throwaway network as deoss up"
          + " starts it, in a temporary folder deleted afterwards) until it is committed, then"
          + " read it back through a new mount with an empty cache; and the same in a plain"
          + " folder of the same disk, in the same run (write + fsync, then read; the plain read"
          + " may come from the kernel's page cache).",
      "The network, its miners and both mounts share this JVM's heap and its direct memory"
          + " (which the JVM limits to the heap's size): with the installed default (-Xmx512m)"
          + " keep SIZE at 256 MiB or give JAVA_OPTS=-Xmx2g (at 1 GiB a miner's read ran out of"
          + " direct memory at 512 MiB).",
      "Needs FUSE 2 (fusermount, libfuse.so.2, /dev/fuse); exits 2 without it. The full mount"
          + " benchmark (random reads, file creation, stat, rsync, against rclone) is"
          + " ./bench-mount in the DeOSS source tree; it needs rclone and fio."
    })
final class BenchMountCommand implements Callable<Integer> {
  private static final int MIB = 1 << 20;
  private static final String BUCKET = "bench";
  private static final String WHO = "deoss bench mount";

  @Spec CommandSpec spec;

  @Option(
      names = "--size",
      paramLabel = "SIZE",
      defaultValue = "256MiB",
      description = "The file (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(
      names = "--miners",
      paramLabel = "N",
      defaultValue = "12",
      description = "Miners to start, 1 to 64 (default: ${DEFAULT-VALUE}).")
  int miners;

  @Option(names = "--json", description = "Print the results as one JSON object.")
  boolean json;

  /** Which system the FUSE check looks at; a test may replace it. */
  Prerequisites.Host host = Prerequisites.system();

  @Override
  public Integer call() throws Exception {
    long bytes = BenchCommand.size("--size", size, 1, 1L << 40);
    BenchCommand.count("--miners", miners, 1, 64);
    PrintWriter err = spec.commandLine().getErr();
    if (!host.hasCommand("fusermount")
        || !host.hasLibrary("libfuse.so.2")
        || !host.hasDevice(Path.of("/dev/fuse"))) {
      err.println(
          WHO
              + ": needs FUSE 2 (fusermount, libfuse.so.2 and /dev/fuse): sudo apt-get install -y"
              + " fuse libfuse2. The full mount benchmark is ./bench-mount in a DeOSS source"
              + " tree.");
      err.flush();
      return ErrorHandler.BAD_INPUT;
    }
    try (BenchHome temp = BenchHome.create()) {
      BenchReport report = run(temp, bytes, err);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        report.printJson(out);
      } else {
        report.printTable(out);
      }
    }
    return 0;
  }

  private BenchReport run(BenchHome temp, long bytes, PrintWriter err) throws Exception {
    Path home = temp.dir;
    Daemons.logTo(home, "bench");
    byte[] block = new byte[(int) Math.min(bytes, 16L * MIB)];
    new SplittableRandom().nextBytes(block);
    progress(err, "plain folder: write+fsync and read " + Sizes.format(bytes));
    Path plain = Files.createDirectories(home.resolve("plain")).resolve("file");
    long t = System.nanoTime();
    write(plain, block, bytes);
    double plainWrite = BenchReport.mbPerSecond(bytes, System.nanoTime() - t);
    t = System.nanoTime();
    read(plain, bytes);
    double plainRead = BenchReport.mbPerSecond(bytes, System.nanoTime() - t);
    Files.delete(plain);

    LocalNetwork net = BenchNetworkCommand.startNetwork(temp, miners, bytes, err, WHO);
    AccountKeys keys = AccountKeys.generate(new SecureRandom());
    try (AutoCloseable stopNet = temp.stopFirst(net);
        StorageClient client = new StorageClient(keys, net.ledger(), PipelineConfig.defaults())) {
      client.prepare(BUCKET, BenchNetworkCommand.spaceGib(bytes), 30);
      long warm = Math.min(bytes, 32L * MIB);
      progress(err, "warm-up (not counted): put and get " + Sizes.format(warm));
      client.put(BUCKET, "warm-up", new BenchNetworkCommand.Generated(warm), ProgressListener.NONE);
      client.get(BUCKET, "warm-up", new BenchNetworkCommand.Discard(), ProgressListener.NONE);
      Path mp = Files.createDirectories(home.resolve("mnt"));
      Path file = mp.resolve(BUCKET).resolve("file");

      progress(err, "write " + Sizes.format(bytes) + " through the mount, until committed");
      temp.checkNotStopping();
      DeossMount first = mount(home.resolve("cache-1"), mp, client, keys);
      t = System.nanoTime();
      try (AutoCloseable stop = temp.stopFirst(withoutDrain(first))) {
        write(file, block, bytes);
        List<PendingFile> left = first.unmount(Duration.ofHours(1), p -> {});
        if (!left.isEmpty()) {
          throw new IllegalStateException(left.size() + " files were not uploaded: " + left);
        }
      }
      double mountWrite = BenchReport.mbPerSecond(bytes, System.nanoTime() - t);

      progress(err, "read " + Sizes.format(bytes) + " through a new mount with an empty cache");
      temp.checkNotStopping();
      DeossMount second = mount(home.resolve("cache-2"), mp, client, keys);
      double mountRead;
      try (AutoCloseable stop = temp.stopFirst(withoutDrain(second))) {
        t = System.nanoTime();
        read(file, bytes);
        mountRead = BenchReport.mbPerSecond(bytes, System.nanoTime() - t);
      }

      BenchReport report =
          new BenchReport(
              WHO
                  + ": one file of "
                  + Sizes.format(bytes)
                  + ", deoss mount over 1 ledger + "
                  + miners
                  + " miners in this process");
      report.note(BenchPipelineCommand.machine());
      report.note(
          "the mount write counts until the file is committed (upload, ledger, unmount); the"
              + " read uses a new mount with an empty cache; one run per line");
      report.add(
          new BenchReport.Line(
              "sequential write " + Sizes.format(bytes) + " (1 MiB writes, fsync)",
              "MB/s",
              mountWrite,
              mountWrite,
              List.of(new BenchReport.Baseline("plain folder write+fsync", plainWrite))));
      report.add(
          new BenchReport.Line(
              "sequential read " + Sizes.format(bytes),
              "MB/s",
              mountRead,
              mountRead,
              List.of(new BenchReport.Baseline("plain folder read", plainRead))));
      return report;
    }
  }

  private static DeossMount mount(Path cache, Path mp, StorageClient client, AccountKeys keys)
      throws IOException {
    com.sun.security.auth.module.UnixSystem me = new com.sun.security.auth.module.UnixSystem();
    MountOptions options =
        MountOptions.defaults(
            mp, CacheConfig.defaults(cache), (int) me.getUid(), (int) me.getGid());
    ObjectStore store =
        new ObjectStore(
            client.ledger(),
            client.transactions(),
            keys.id(),
            client.encryption(),
            client.writer(),
            new SecureRandom());
    return DeossMount.mount(options, store, client.reader());
  }

  /**
   * Unmounts without waiting for uploads: the files of a benchmark are thrown away with its home.
   * On Ctrl-C this still waits for a write in progress and for what the cache is uploading (the
   * process serves its own mount: detaching it lazily would leave that write blocked for good).
   */
  private static AutoCloseable withoutDrain(DeossMount mount) {
    return () -> mount.unmount(Duration.ZERO, p -> {});
  }

  /** Writes {@code bytes} bytes of {@code block} (repeated) in 1 MiB writes, then fsync. */
  private static void write(Path file, byte[] block, long bytes) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (long done = 0; done < bytes; ) {
        int at = (int) (done % block.length);
        int n = (int) Math.min(Math.min(MIB, bytes - done), block.length - at);
        ByteBuffer buf = ByteBuffer.wrap(block, at, n);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        done += n;
      }
      ch.force(true);
    }
  }

  /** Reads the whole file in 1 MiB reads; fails unless it has {@code bytes} bytes. */
  private static void read(Path file, long bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(MIB);
    long total = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      for (int n; (n = ch.read(buf)) >= 0; ) {
        total += n;
        buf.clear();
      }
    }
    if (total != bytes) {
      throw new IllegalStateException(file + " has " + total + " bytes, expected " + bytes);
    }
  }

  private static void progress(PrintWriter err, String what) {
    err.println(WHO + ": " + what + " ...");
    err.flush();
  }
}
