package org.deoss.tests.cluster;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A ledger node and N miners as real processes ({@code deoss node}, {@code deoss miner}) on
 * loopback, each with its own home folder under {@code root}. Processes are started from this JVM's
 * class path; their output goes to {@code home/console.txt}.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  /** The wallet passphrase of every process {@link #deoss} starts. */
  public static final String PASSPHRASE = "cluster-test";

  private final Path root;
  private final int minerCount;
  private Process node;
  private URI nodeUrl;
  private final List<Process> miners = new ArrayList<>();

  private final List<String> nodeArgs;
  private final List<String> minerArgs;

  public LocalCluster(Path root, int minerCount) {
    this(root, minerCount, List.of(), List.of());
  }

  /**
   * A cluster whose node and miners get extra command-line options (short audit and heartbeat
   * periods, for instance).
   */
  public LocalCluster(Path root, int minerCount, List<String> nodeArgs, List<String> minerArgs) {
    this.nodeArgs = List.copyOf(nodeArgs);
    this.minerArgs = List.copyOf(minerArgs);
    this.root = root;
    this.minerCount = minerCount;
    for (int i = 0; i < minerCount; i++) {
      miners.add(null);
    }
  }

  public URI nodeUrl() {
    return nodeUrl;
  }

  public Path minerHome(int i) {
    return root.resolve("miner-" + i);
  }

  /** Starts (or restarts) the node and then every miner not running; waits until all serve. */
  public void start() throws IOException, InterruptedException {
    if (node == null || !node.isAlive()) {
      Path home = root.resolve("node");
      Files.deleteIfExists(home.resolve("node.url"));
      List<String> args =
          new ArrayList<>(List.of("node", "--home", home.toString(), "--listen", "127.0.0.1:0"));
      args.addAll(nodeArgs);
      node = launch(home, args.toArray(String[]::new));
      nodeUrl = URI.create(awaitFile(home.resolve("node.url"), node));
    }
    for (int i = 0; i < minerCount; i++) {
      startMiner(i);
    }
    for (int i = 0; i < minerCount; i++) {
      awaitFile(minerHome(i).resolve("miner.addr"), miners.get(i));
    }
  }

  private void startMiner(int i) throws IOException {
    Process p = miners.get(i);
    if (p != null && p.isAlive()) {
      return;
    }
    Path home = minerHome(i);
    Files.createDirectories(home);
    Files.deleteIfExists(home.resolve("miner.addr"));
    List<String> args =
        new ArrayList<>(
            List.of(
                "miner",
                "--home",
                home.toString(),
                "--node",
                nodeUrl.toString(),
                "--listen",
                "127.0.0.1:0",
                "--capacity",
                "2GiB",
                "--zone",
                "zone-" + (i % 4),
                "--new-wallet"));
    args.addAll(minerArgs);
    miners.set(i, launch(home, args.toArray(String[]::new)));
  }

  /** SIGKILL, as a crash would. */
  public void kill(int miner) throws InterruptedException {
    Process p = miners.get(miner);
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM to everything, waiting for each to exit. */
  public void stopAll() throws InterruptedException {
    for (Process p : miners) {
      if (p != null) {
        p.destroy();
      }
    }
    for (Process p : miners) {
      if (p != null && !p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (node != null) {
      node.destroy();
      if (!node.waitFor(30, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopAll();
  }

  private Process launch(Path home, String... args) throws IOException {
    Files.createDirectories(home);
    ProcessBuilder pb = deoss(args);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.txt").toFile()));
    return pb.start();
  }

  /**
   * A {@code deoss ARGS} process from this JVM's class path, with the wallet passphrase every
   * process of a local cluster uses in {@code DEOSS_PASSPHRASE}. The caller redirects its output.
   */
  public static ProcessBuilder deoss(String... args) {
    return deoss("256m", args);
  }

  /** As {@link #deoss(String...)} with a maximum heap of {@code heap} (e.g. {@code 1g}). */
  public static ProcessBuilder deoss(String heap, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.deoss.packaging.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DEOSS_PASSPHRASE", PASSPHRASE);
    return pb;
  }

  /** Whether miner {@code i} runs. */
  public boolean isMinerAlive(int i) {
    Process p = miners.get(i);
    return p != null && p.isAlive();
  }

  public int minerCount() {
    return minerCount;
  }

  /** Waits for a process to write its address file; fails with its console if it dies first. */
  private static String awaitFile(Path file, Process p) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "process for "
                + file.getParent()
                + " exited with "
                + p.exitValue()
                + ":\n"
                + console(file.getParent()));
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "no " + file + " after " + START_TIMEOUT + ":\n" + console(file.getParent()));
  }

  public static String console(Path home) throws IOException {
    Path c = home.resolve("console.txt");
    String text = Files.exists(c) ? Files.readString(c) : "(no console output)";
    Path log = home.resolve("logs");
    if (Files.isDirectory(log)) {
      try (var files = Files.list(log)) {
        for (Path f : files.toList()) {
          String l = Files.readString(f);
          text += "\n--- " + f.getFileName() + "\n" + l.substring(Math.max(0, l.length() - 4000));
        }
      }
    }
    return text;
  }
}
