package org.deoss.packaging;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deoss.cache.CacheConfig;
import org.deoss.cache.ObjectStore;
import org.deoss.cache.UploadProgress;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.Wallet;
import org.deoss.core.ledger.Call;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.fs.DeossMount;
import org.deoss.fs.MountOptions;
import org.deoss.transfer.client.StorageClient;
import org.deoss.transfer.node.RemoteLedgerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** {@code deoss mount}: the account's buckets as a folder, until SIGINT/SIGTERM or umount. */
@Command(
    name = "mount",
    mixinStandardHelpOptions = true,
    description = {
      "Mount the account's buckets (or one bucket) on an empty folder with FUSE. Runs in the"
          + " foreground; prints 'mounted MOUNTPOINT' once the kernel serves it. Logs go to"
          + " HOME/logs/mount.log; the process id is in HOME/mount.pid.",
      "Ctrl-C, SIGTERM or 'deoss umount MOUNTPOINT' upload what is pending (printing progress),"
          + " unmount and exit 0. Files not uploaded in time upload at the next mount."
    })
final class MountCommand implements Callable<Integer> {
  @Mixin HomeOptions home;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MOUNTPOINT", description = "An empty folder.")
  Path mountPoint;

  @Option(
      names = "--node",
      paramLabel = "URL",
      description = "Ledger node URL (default: the URL in HOME/node.url, as deoss node writes).")
  URI node;

  @Option(names = "--bucket", paramLabel = "NAME", description = "Mount only this bucket.")
  String bucket;

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description = "Where files wait for upload (default: HOME/cache).")
  Path cacheDir;

  @Option(
      names = "-o",
      paramLabel = "OPTS",
      description = "More libfuse options, comma-separated (e.g. allow_other).")
  String fuseOptions;

  @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Wallet passphrase file.")
  Path passphraseFile;

  @Option(
      names = "--drain-timeout",
      paramLabel = "SECONDS",
      defaultValue = "600",
      description = "How long unmounting waits for uploads (default: ${DEFAULT-VALUE}).")
  long drainSeconds;

  @Option(
      names = "--segments-in-flight",
      paramLabel = "N",
      description =
          "Segments of one upload stored at once while the next is encoded, 1-16 (default: up to"
              + " 3, as the heap allows).")
  Integer segmentsInFlight;

  @Option(
      names = "--prepare-space",
      paramLabel = "GIB",
      description =
          "Development convenience: when the account has no space, claim faucet tokens and buy"
              + " GIB GiB for 30 days (and create --bucket if it is missing).")
  Long prepareGib;

  @Override
  public Integer call() throws Exception {
    Path dir = home.home();
    Files.createDirectories(dir);
    Daemons.logTo(dir, "mount");
    URI url = home.node(node);
    Path wallet = home.wallet();
    if (!Files.exists(wallet)) {
      throw new UserException("no wallet at " + wallet + "; create one with deoss wallet create");
    }
    AccountKeys keys =
        Wallet.open(wallet, Passphrases.read(home.passphraseFile(passphraseFile), false));
    Path mp = mountPoint.toAbsolutePath().normalize();
    Path cache = cacheDir != null ? cacheDir : dir.resolve("cache");
    com.sun.security.auth.module.UnixSystem me = new com.sun.security.auth.module.UnixSystem();
    MountOptions options =
        MountOptions.defaults(mp, CacheConfig.defaults(cache), (int) me.getUid(), (int) me.getGid())
            .withBucket(bucket)
            .withOptions(fuseOptions);
    RemoteLedgerClient ledger =
        RemoteLedgerClient.connect(url, RemoteLedgerClient.Options.defaults());
    StorageClient client =
        new StorageClient(
            keys, ledger, pipeline(segmentsInFlight, Runtime.getRuntime().maxMemory()));
    DeossMount mount;
    try {
      client.transactions().announceKeyIfMissing();
      if (prepareGib != null) {
        prepareSpace(keys, ledger, client);
      }
      ObjectStore store =
          new ObjectStore(
              ledger,
              client.transactions(),
              keys.id(),
              client.encryption(),
              client.writer(),
              new SecureRandom());
      mount = DeossMount.mount(options, store, client.reader());
    } catch (Exception e) {
      client.close();
      ledger.close();
      throw e;
    }
    Path pidFile = dir.resolve("mount.pid");
    Daemons.writeAtomically(pidFile, ProcessHandle.current().pid() + "\n" + mp);
    PrintWriter out = spec.commandLine().getOut();
    out.println("mounted " + mp);
    out.flush();
    java.util.concurrent.ScheduledExecutorService statusWriter = startStatusWriter(dir, mount);
    Runnable cleanup =
        () -> {
          statusWriter.shutdownNow();
          client.close();
          ledger.close();
          try {
            Files.deleteIfExists(pidFile);
            Files.deleteIfExists(dir.resolve(MountStatus.FILE));
          } catch (IOException e) {
            log().warn("cannot delete {}: {}", pidFile, e.toString());
          }
        };
    runUntilUnmounted(mount, out, Duration.ofSeconds(drainSeconds), cleanup);
    return 0;
  }

  /**
   * The mount's pipeline settings: {@code inFlight} segments in flight per upload when given, else
   * as many as {@link Pipelines#forHeap} allows for half the heap (two large new files may upload
   * at once while they are written, and the segment cache takes another quarter).
   */
  static PipelineConfig pipeline(Integer inFlight, long maxHeapBytes) {
    PipelineConfig auto = Pipelines.forHeap(maxHeapBytes / 2);
    if (inFlight == null) {
      return auto;
    }
    if (inFlight < 1 || inFlight > 16) {
      throw new UserException("--segments-in-flight must be 1 .. 16, got " + inFlight);
    }
    return new PipelineConfig(
        auto.segmentSize(),
        auto.dataShards(),
        auto.parityShards(),
        auto.chunkSize(),
        auto.successThreshold(),
        inFlight,
        auto.hedgeDelay(),
        auto.putAttempts());
  }

  /**
   * Waits until a signal or someone else's unmount ends the mount, then drains the uploads,
   * unmounts and runs {@code cleanup}. Our own handlers replace the JVM's (which would run shutdown
   * hooks and exit before the uploads drained). Shared by {@code deoss mount} and {@code deoss up}.
   */
  static void runUntilUnmounted(
      DeossMount mount, PrintWriter out, Duration drainTimeout, Runnable cleanup)
      throws InterruptedException {
    AtomicBoolean stopping = new AtomicBoolean();
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          try {
            drainAndUnmount(mount, out, drainTimeout);
          } finally {
            cleanup.run();
            stopped.countDown();
          }
        };
    SignalHandler handler =
        sig -> {
          if (stopping.compareAndSet(false, true)) {
            out.println("stopping (SIG" + sig.getName() + "): uploading pending files");
            out.flush();
            Thread t = new Thread(stop, "deoss-stop");
            t.setDaemon(false);
            t.start();
          }
        };
    Signal.handle(new Signal("TERM"), handler);
    Signal.handle(new Signal("INT"), handler);
    mount.awaitUnmounted();
    if (stopping.compareAndSet(false, true)) {
      out.println("unmounted by someone else: uploading pending files");
      out.flush();
      stop.run();
    } else {
      stopped.await();
    }
  }

  /**
   * Uploads what is pending (printing the queue every two seconds while it changes) and unmounts;
   * prints what was left for the next mount. Never throws: a failure is logged and printed.
   */
  static void drainAndUnmount(DeossMount mount, PrintWriter out, Duration drainTimeout) {
    Thread ticker =
        new Thread(
            () -> {
              String last = "";
              try {
                while (true) {
                  String line = describe(mount.progress());
                  if (!line.equals(last)) {
                    out.println(line);
                    out.flush();
                    last = line;
                  }
                  Thread.sleep(2000);
                }
              } catch (InterruptedException | RuntimeException e) {
                // unmounted: the caches are closed
              }
            },
            "deoss-mount-progress");
    ticker.setDaemon(true);
    ticker.start();
    try {
      List<?> left = mount.unmount(drainTimeout, p -> {});
      ticker.interrupt();
      out.println(
          left.isEmpty()
              ? "unmounted " + mount.mountPoint()
              : "unmounted "
                  + mount.mountPoint()
                  + "; "
                  + left.size()
                  + " files upload at the next mount");
    } catch (IOException | RuntimeException e) {
      ticker.interrupt();
      log().error("unmounting {} failed", mount.mountPoint(), e);
      out.println("unmount failed: " + e.getMessage());
    }
    out.flush();
  }

  /** Writes {@link MountStatus} into the home every second for {@code deoss status}. */
  static java.util.concurrent.ScheduledExecutorService startStatusWriter(
      Path home, DeossMount mount) {
    java.util.concurrent.ScheduledExecutorService ex =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "deoss-mount-status");
              t.setDaemon(true);
              return t;
            });
    long pid = ProcessHandle.current().pid();
    ex.scheduleWithFixedDelay(
        () -> {
          try {
            MountStatus.of(pid, mount.mountPoint(), System.currentTimeMillis(), mount.progress())
                .write(home);
          } catch (IOException | RuntimeException e) {
            log().debug("cannot write the mount status: {}", e.toString());
          }
        },
        0,
        1,
        java.util.concurrent.TimeUnit.SECONDS);
    return ex;
  }

  /** Looked up late: the logger must not start before {@link Daemons#logTo} chose the file. */
  private static Logger log() {
    return LoggerFactory.getLogger(MountCommand.class);
  }

  static String describe(UploadProgress p) {
    return String.format(
        Locale.ROOT,
        "uploading: %d files, %.1f MiB left%s",
        p.entries(),
        p.bytesPending() / (1024.0 * 1024.0),
        p.failed() > 0 ? ", " + p.failed() + " failed (" + p.lastError() + ")" : "");
  }

  private void prepareSpace(AccountKeys keys, RemoteLedgerClient ledger, StorageClient client) {
    if (prepareGib < 1) {
      throw new UserException("--prepare-space = " + prepareGib + ": give at least 1 GiB");
    }
    if (ledger.account(keys.id()).space().purchasedBytes() == 0) {
      client.transactions().submitAndWait(new Call.Faucet());
      client.transactions().submitAndWait(new Call.BuySpace(prepareGib, 30));
      log().info("claimed faucet tokens and bought {} GiB for 30 days", prepareGib);
    }
    if (bucket != null && ledger.bucket(keys.id(), bucket).isEmpty()) {
      client.transactions().submitAndWait(new Call.CreateBucket(keys.id(), bucket));
    }
  }
}
