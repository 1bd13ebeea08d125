package org.deoss.tests.replication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hosts as Linux network namespaces made for one test: a hub namespace holding a bridge, one
 * namespace per host joined to it by a veth pair, and a veth from the test's own namespace so the
 * test JVM reaches every host. Addresses are {@code 10.A.B.N/24} with A.B chosen at random among
 * subnets the machine does not use. {@link #close()} deletes everything it made, even after a
 * failure half-way.
 *
 * <pre>
 *   test JVM (10.A.B.1) --veth-- [hub: br0] --veth-- host ns (10.A.B.N), one per host
 * </pre>
 */
final class TestNetwork implements AutoCloseable {
  private final String tag;
  private final String subnet;
  private final String hub;
  private final String rootLink;
  private final List<String> namespaces = new ArrayList<>();

  /** A host: its namespace, its link inside it and its address. */
  record Host(String namespace, String link, String address) {}

  private TestNetwork(String tag, String subnet) {
    this.tag = tag;
    this.subnet = subnet;
    this.hub = "deoss-" + tag + "-hub";
    this.rootLink = "dr" + tag;
  }

  /**
   * Why this machine cannot make namespaces (not root, no {@code ip}, no veth support), or empty
   * when it can: a probe namespace with a veth pair is made and deleted.
   */
  static Optional<String> unavailableReason() {
    String probe = "deoss-probe-" + ProcessHandle.current().pid();
    try {
      Result add = run("ip", "netns", "add", probe);
      if (add.code != 0) {
        return Optional.of("'ip netns add' failed: " + add.output.strip());
      }
      try {
        Result veth =
            run("ip", "-n", probe, "link", "add", "pa", "type", "veth", "peer", "name", "pb");
        if (veth.code != 0) {
          return Optional.of("'ip link add type veth' failed: " + veth.output.strip());
        }
      } finally {
        run("ip", "netns", "del", probe);
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot run 'ip' (iproute2): " + e.getMessage());
    }
  }

  /** Makes the hub and the test's own link, on a subnet no route of the machine covers. */
  static TestNetwork create(long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    String routes = run("ip", "-4", "route", "show", "table", "all").output;
    String addrs = run("ip", "-4", "addr").output;
    for (int attempt = 0; attempt < 50; attempt++) {
      String subnet = "10." + random.nextInt(100, 250) + "." + random.nextInt(0, 256);
      if (routes.contains(subnet + ".") || addrs.contains(subnet + ".")) {
        continue;
      }
      String tag = Integer.toHexString(0x1000 + random.nextInt(0xefff));
      TestNetwork net = new TestNetwork(tag, subnet);
      try {
        net.init();
      } catch (IOException | RuntimeException e) {
        net.close();
        throw e;
      }
      return net;
    }
    throw new IOException("no free 10.x.y.0/24 subnet found");
  }

  private void init() throws IOException {
    must("ip", "netns", "add", hub);
    namespaces.add(hub);
    must("ip", "-n", hub, "link", "set", "lo", "up");
    must("ip", "-n", hub, "link", "add", "br0", "type", "bridge");
    must("ip", "-n", hub, "link", "set", "br0", "up");
    must(
        "ip",
        "link",
        "add",
        rootLink,
        "type",
        "veth",
        "peer",
        "name",
        "b" + rootLink,
        "netns",
        hub);
    must("ip", "-n", hub, "link", "set", "b" + rootLink, "master", "br0", "up");
    must("ip", "addr", "add", subnet + ".1/24", "dev", rootLink);
    must("ip", "link", "set", rootLink, "up");
  }

  /** Makes host {@code name} at {@code 10.A.B.number}. */
  Host addHost(String name, int number) throws IOException {
    String ns = "deoss-" + tag + "-" + name;
    String link = "h" + tag + number;
    must("ip", "netns", "add", ns);
    namespaces.add(ns);
    must("ip", "-n", ns, "link", "set", "lo", "up");
    must(
        "ip",
        "link",
        "add",
        link,
        "netns",
        ns,
        "type",
        "veth",
        "peer",
        "name",
        "b" + link,
        "netns",
        hub);
    must("ip", "-n", hub, "link", "set", "b" + link, "master", "br0", "up");
    String address = subnet + "." + number;
    must("ip", "-n", ns, "addr", "add", address + "/24", "dev", link);
    must("ip", "-n", ns, "link", "set", link, "up");
    return new Host(ns, link, address);
  }

  /** Cuts the host off the network (its only link goes down). */
  void linkDown(Host h) throws IOException {
    must("ip", "-n", h.namespace(), "link", "set", h.link(), "down");
  }

  void linkUp(Host h) throws IOException {
    must("ip", "-n", h.namespace(), "link", "set", h.link(), "up");
  }

  /** {@code ip netns exec NS} followed by {@code command}. */
  static List<String> inNamespace(Host h, List<String> command) {
    List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", h.namespace()));
    out.addAll(command);
    return out;
  }

  /** Deletes every namespace made (their links go with them) and the test's own link. */
  @Override
  public void close() {
    for (int i = namespaces.size() - 1; i >= 0; i--) {
      try {
        run("ip", "netns", "del", namespaces.get(i));
      } catch (IOException e) {
        // best effort: keep deleting the others
      }
    }
    namespaces.clear();
    try {
      run("ip", "link", "del", rootLink);
    } catch (IOException e) {
      // gone with the hub already
    }
  }

  private record Result(int code, String output) {}

  private static void must(String... cmd) throws IOException {
    Result r = run(cmd);
    if (r.code != 0) {
      throw new IOException(String.join(" ", cmd) + " failed (" + r.code + "): " + r.output);
    }
  }

  private static Result run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish in 30 s");
      }
      return new Result(p.exitValue(), out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + String.join(" ", cmd), e);
    }
  }
}
