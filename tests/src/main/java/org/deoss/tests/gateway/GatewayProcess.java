package org.deoss.tests.gateway;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deoss.core.account.AccountId;
import org.deoss.tests.cluster.LocalCluster;

/**
 * A {@code deoss gateway} process with its own home, started from this JVM's class path with a
 * chosen maximum heap; its output goes to {@code home/console.txt}.
 */
public final class GatewayProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern READY = Pattern.compile("gateway (\\S+) at (\\S+);");

  private final Process process;
  private final Path home;
  private final URI uri;
  private final AccountId account;

  private GatewayProcess(Process process, Path home, URI uri, AccountId account) {
    this.process = process;
    this.home = home;
    this.uri = uri;
    this.account = account;
  }

  /** Starts {@code deoss gateway --home HOME --node NODE --listen 127.0.0.1:0 EXTRA...}. */
  public static GatewayProcess start(Path home, URI node, String heap, String... extra)
      throws IOException, InterruptedException {
    return start(home, node, heap, List.of(), extra);
  }

  /** As {@link #start(Path, URI, String, String...)}, with more JVM options. */
  public static GatewayProcess start(
      Path home, URI node, String heap, List<String> jvmOptions, String... extra)
      throws IOException, InterruptedException {
    Files.createDirectories(home);
    Files.deleteIfExists(home.resolve("gateway.url"));
    List<String> args =
        new ArrayList<>(
            List.of(
                "gateway",
                "--home",
                home.toString(),
                "--node",
                node.toString(),
                "--listen",
                "127.0.0.1:0"));
    args.addAll(List.of(extra));
    ProcessBuilder pb = LocalCluster.deoss(heap, args.toArray(String[]::new));
    pb.command().addAll(1, jvmOptions);
    pb.redirectErrorStream(true);
    Path console = home.resolve("console.txt");
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
    Process p = pb.start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.exists(console) ? Files.readString(console, StandardCharsets.UTF_8) : "";
      Matcher m = READY.matcher(text);
      if (m.find() && Files.exists(home.resolve("gateway.url"))) {
        return new GatewayProcess(p, home, URI.create(m.group(2)), AccountId.parse(m.group(1)));
      }
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "deoss gateway exited with " + p.exitValue() + ":\n" + LocalCluster.console(home));
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new IllegalStateException(
        "deoss gateway did not start in " + START_TIMEOUT + ":\n" + LocalCluster.console(home));
  }

  public URI uri() {
    return uri;
  }

  /** The gateway's account, which owners authorize. */
  public AccountId account() {
    return account;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String console() throws IOException {
    return LocalCluster.console(home);
  }

  /** SIGTERM, then waits for the exit. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
