package org.deoss.tests.mount;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.deoss.tests.cluster.LocalCluster;

/**
 * A real network and a real mount for end-to-end tests: a {@link LocalCluster} (ledger node and
 * miners as processes), an account made with the command line ({@code deoss wallet create}, {@code
 * faucet}, {@code space buy}, {@code bucket create}) and {@code deoss mount} processes on {@code
 * ROOT/mnt}, started, stopped with SIGTERM, or killed with SIGKILL and mounted again.
 *
 * <p>Not thread-safe: one test thread drives it. {@link #close} stops or unmounts whatever it
 * mounted and stops the cluster.
 */
public final class MountHarness implements AutoCloseable {
  /** How long a CLI command, a mount start and a drain may take. */
  public static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);

  public static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);

  private final Path root;
  private final LocalCluster cluster;
  private final Path home;
  private final Path mountPoint;
  private MountProcess mount;
  private Path cacheDir;

  private MountHarness(Path root, LocalCluster cluster) {
    this.root = root;
    this.cluster = cluster;
    this.home = root.resolve("account");
    this.mountPoint = root.resolve("mnt");
  }

  /**
   * Starts a cluster of {@code miners} miners under {@code root}, and makes an account with a
   * wallet, faucet tokens and {@code gib} GiB of space for 30 days.
   */
  public static MountHarness start(Path root, int miners, int gib)
      throws IOException, InterruptedException {
    LocalCluster cluster = new LocalCluster(root.resolve("cluster"), miners);
    MountHarness h = new MountHarness(root, cluster);
    try {
      cluster.start();
      Files.createDirectories(h.home);
      h.cli("wallet", "create");
      h.cli("faucet");
      h.cli("space", "buy", "--gib", Integer.toString(gib), "--days", "30");
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return h;
  }

  /** Runs {@code deoss ARGS --home HOME --node URL} (not for wallet) and returns its output. */
  public String cli(String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", home.toString()));
    if (!args[0].equals("wallet")) {
      all.addAll(List.of("--node", cluster.nodeUrl().toString()));
    }
    return Tools.run(LocalCluster.deoss(all.toArray(String[]::new)), null, CLI_TIMEOUT)
        .orThrow()
        .output();
  }

  /** {@code deoss bucket create NAME}; the bucket shows as the folder {@link #bucket}. */
  public Path createBucket(String name) throws IOException, InterruptedException {
    cli("bucket", "create", name);
    return bucket(name);
  }

  /** Where bucket {@code name} appears in the mount. */
  public Path bucket(String name) {
    return mountPoint.resolve(name);
  }

  /** Mounts with the cache in HOME/cache, waiting until the kernel serves the mount. */
  public MountProcess mount() throws IOException, InterruptedException {
    return mount(null);
  }

  /** Mounts with the cache in {@code cacheDir} (null: HOME/cache). */
  public MountProcess mount(Path cacheDir) throws IOException, InterruptedException {
    if (mount != null && mount.isAlive()) {
      throw new IllegalStateException("already mounted by pid " + mount.pid());
    }
    this.cacheDir = cacheDir;
    mount =
        MountProcess.start(home, mountPoint, cluster.nodeUrl().toString(), cacheDir)
            .awaitMounted(MOUNT_TIMEOUT);
    return mount;
  }

  /**
   * Mounts again with the cache of the last mount (after {@link #kill9}, the new mount cleans the
   * stale mount point and replays the cache's journal).
   */
  public MountProcess mountAgain() throws IOException, InterruptedException {
    return mount(cacheDir);
  }

  /** A clean unmount (uploads drained), then a mount whose cache starts empty in scratch/NAME. */
  public MountProcess remountWithEmptyCache(String name) throws IOException, InterruptedException {
    unmount();
    return mount(scratch("cache-" + name));
  }

  /** SIGTERM: drains uploads, unmounts, and must exit 0 with the mount point released. */
  public void unmount() throws IOException, InterruptedException {
    int exit = mount.stop(DRAIN_TIMEOUT);
    if (exit != 0) {
      throw new IllegalStateException(
          "deoss mount exited with " + exit + " after SIGTERM:\n" + diagnostics());
    }
    if (isMounted()) {
      throw new IllegalStateException(
          "deoss mount exited but " + mountPoint + " is still mounted:\n" + diagnostics());
    }
  }

  /** SIGKILL of the mount process; the mount point stays behind, stale. */
  public void kill9() throws InterruptedException {
    mount.kill();
  }

  /** Whether the kernel lists {@link #mountPoint} as a mount point. */
  public boolean isMounted() throws IOException {
    String target = mountPoint.toAbsolutePath().normalize().toString();
    for (String line :
        Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
      String[] f = line.split(" ");
      if (f.length > 4 && f[4].replace("\\040", " ").equals(target)) {
        return true;
      }
    }
    return false;
  }

  /** The mount's console and log tail, for failure messages. */
  public String diagnostics() throws IOException {
    return MountProcess.diagnostics(home);
  }

  public LocalCluster cluster() {
    return cluster;
  }

  public Path home() {
    return home;
  }

  public Path mountPoint() {
    return mountPoint;
  }

  /** A folder for local copies, beside the mount. */
  public Path scratch(String name) throws IOException {
    return Files.createDirectories(root.resolve("scratch").resolve(name));
  }

  /**
   * Copies the account's logs and mount console to {@code dest} (for a CI artifact: the temp folder
   * is gone after the test class).
   */
  public void keepLogs(Path dest) throws IOException {
    Files.createDirectories(dest);
    Path console = home.resolve("mount-console.txt");
    if (Files.exists(console)) {
      Files.copy(console, dest.resolve(console.getFileName()), REPLACE_EXISTING);
    }
    Path log = home.resolve("logs").resolve("mount.log");
    if (Files.exists(log)) {
      Files.copy(log, dest.resolve(log.getFileName()), REPLACE_EXISTING);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (mount != null && mount.isAlive()) {
        mount.stop(DRAIN_TIMEOUT);
      }
    } finally {
      try {
        if (isMounted()) {
          Tools.run(null, Duration.ofSeconds(30), "fusermount", "-uz", mountPoint.toString());
        }
      } finally {
        cluster.close();
      }
    }
  }
}
