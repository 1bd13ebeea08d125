package org.deoss.packaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.Wallet;
import org.deoss.core.ledger.MinerInfo;
import org.deoss.core.ledger.MinerStatus;
import org.deoss.core.ledger.SpaceInfo;
import org.deoss.transfer.node.RemoteLedgerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deoss status}: what runs from this home (node, mount and its upload queue), the account's
 * space and the miners. Prints what it can find; the exit code is 1 when the node cannot be
 * reached.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show the account, its space, the miners, and the mount's upload queue.",
      "Reads the home's node.url, wallet address, mount.status and up.json; asks the node for"
          + " the rest."
    })
final class StatusCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin HomeOptions home = new HomeOptions();

  @Option(
      names = "--node",
      paramLabel = "URL",
      description = "Ledger node (default: the home's node.url).")
  URI node;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path dir = home.home();
    ObjectNode o = JSON.createObjectNode();
    o.put("home", dir.toString());
    AccountId account = Files.exists(home.wallet()) ? Wallet.peekAddress(home.wallet()) : null;
    o.put("account", account == null ? null : account.toString());
    URI url = node != null ? node : home.recordedNode().orElse(null);
    o.put("node", url == null ? null : url.toString());
    boolean nodeOk = url != null && askNode(url, account, o);
    mountStatus(dir, o);
    upStatus(dir, o);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
    } else {
      printText(o, out);
    }
    out.flush();
    return nodeOk ? 0 : 1;
  }

  private static boolean askNode(URI url, AccountId account, ObjectNode o) {
    RemoteLedgerClient.Options quick =
        new RemoteLedgerClient.Options(
            Duration.ofSeconds(3),
            Duration.ofSeconds(5),
            1,
            Duration.ofMillis(100),
            Duration.ofSeconds(5),
            1,
            false);
    try (RemoteLedgerClient ledger = RemoteLedgerClient.connect(url, quick)) {
      o.put("height", ledger.head().height());
      if (account != null) {
        SpaceInfo s = ledger.account(account).space();
        ObjectNode space = o.putObject("space");
        space.put("purchasedBytes", s.purchasedBytes());
        space.put("usedBytes", s.usedBytes());
        space.put("freeBytes", s.freeBytes());
        space.put("state", s.state().name());
        space.put("deadline", s.deadlineMillis() == 0 ? null : iso(s.deadlineMillis()));
        o.put("buckets", ledger.buckets(account).size());
      }
      List<MinerInfo> miners = ledger.miners();
      ObjectNode m = o.putObject("miners");
      m.put("registered", miners.size());
      for (MinerStatus st : MinerStatus.values()) {
        m.put(
            st.name().toLowerCase(Locale.ROOT),
            miners.stream().filter(x -> x.status() == st).count());
      }
      return true;
    } catch (RuntimeException e) {
      o.put("nodeError", String.valueOf(e.getMessage()));
      return false;
    }
  }

  private static void mountStatus(Path dir, ObjectNode o) throws java.io.IOException {
    Optional<MountStatus> ms = MountStatus.read(dir);
    if (ms.isEmpty()) {
      o.putNull("mount");
      return;
    }
    MountStatus s = ms.get();
    ObjectNode m = JSON.valueToTree(s);
    m.put("running", s.alive());
    o.set("mount", m);
  }

  private static void upStatus(Path dir, ObjectNode o) throws java.io.IOException {
    Optional<UpState> up = UpState.read(dir);
    if (up.isEmpty()) {
      o.putNull("up");
      return;
    }
    ObjectNode u = JSON.valueToTree(up.get());
    u.put("running", up.get().alive());
    o.set("up", u);
  }

  private static void printText(ObjectNode o, PrintWriter out) {
    out.printf("home      %s%n", o.get("home").asText());
    out.printf(
        "account   %s%n", o.path("account").isNull() ? "(no wallet)" : o.get("account").asText());
    if (o.path("node").isNull()) {
      out.println("node      (none: no --node and no node.url in the home)");
    } else if (o.has("nodeError")) {
      out.printf(
          "node      %s unreachable: %s%n", o.get("node").asText(), o.get("nodeError").asText());
    } else {
      out.printf("node      %s at block %d%n", o.get("node").asText(), o.get("height").asLong());
    }
    if (o.has("space")) {
      var s = o.get("space");
      out.printf(
          "space     %s bought, %s used, %s free, %s%s%n",
          Sizes.format(s.get("purchasedBytes").asLong()),
          Sizes.format(s.get("usedBytes").asLong()),
          Sizes.format(s.get("freeBytes").asLong()),
          s.get("state").asText(),
          s.path("deadline").isNull() ? "" : " until " + s.get("deadline").asText());
      out.printf("buckets   %d%n", o.get("buckets").asInt());
    }
    if (o.has("miners")) {
      var m = o.get("miners");
      out.printf(
          "miners    %d registered: %d active, %d offline, %d frozen, %d exiting%n",
          m.get("registered").asInt(),
          m.get("active").asInt(),
          m.get("offline").asInt(),
          m.get("frozen").asInt(),
          m.get("exiting").asInt());
    }
    var up = o.get("up");
    if (up != null && !up.isNull()) {
      out.printf(
          up.get("running").asBoolean()
              ? "up        deoss up runs (pid %d) with %d miners, since %s%n"
              : "up        stale record of deoss up pid %d (%d miners, started %s), which is gone%n",
          up.get("pid").asLong(),
          up.get("miners").asInt(),
          iso(up.get("startedMillis").asLong()));
    }
    var m = o.get("mount");
    if (m == null || m.isNull()) {
      out.println("mount     (none running from this home)");
    } else if (!m.get("running").asBoolean()) {
      out.printf(
          "mount     %s: stale status of pid %d, which is gone (files it left upload at the next"
              + " mount)%n",
          m.get("mountPoint").asText(), m.get("pid").asLong());
    } else {
      out.printf(
          "mount     %s (pid %d): %d files pending upload (%s), %d failed%s%n",
          m.get("mountPoint").asText(),
          m.get("pid").asLong(),
          m.get("pendingFiles").asInt(),
          Sizes.format(m.get("pendingBytes").asLong()),
          m.get("failedFiles").asInt(),
          m.path("lastError").isNull() ? "" : "; last error: " + m.get("lastError").asText());
      out.printf(
          "uploaded  %s since the mount started%n", Sizes.format(m.get("uploadedBytes").asLong()));
    }
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
