package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.embedded.EmbeddedLedger;
import org.deoss.core.port.TxBuilder;
import org.deoss.transfer.miner.MinerDaemon;
import org.deoss.transfer.node.LedgerNodeServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * put, get, ls, rm, share, authorize and completion against a ledger node and 12 miners on
 * loopback, all in this JVM; two accounts, alice and bob, each with its own home.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectCommandsTest {
  @TempDir static Path dir;

  private EmbeddedLedger ledger;
  private LedgerNodeServer server;
  private final List<MinerDaemon> miners = new ArrayList<>();
  private Account alice;
  private Account bob;
  private Account carol;
  private int bucketCounter;
  private String bucket;

  /** One account's home and passphrase, and what its last command printed. */
  final class Account {
    final Path home;
    final Path pass;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    String address;

    Account(String name) throws Exception {
      home = dir.resolve(name);
      Files.createDirectories(home);
      Files.writeString(home.resolve("node.url"), server.uri() + "\n");
      pass = dir.resolve(name + ".pass");
      Files.writeString(pass, name + " passphrase\n");
      assertEquals(0, run("wallet", "create"), err.toString());
      address = out.toString().strip();
    }

    int run(String... args) {
      out.getBuffer().setLength(0);
      err.getBuffer().setLength(0);
      String[] all = new String[args.length + 4];
      System.arraycopy(args, 0, all, 0, args.length);
      all[args.length] = "--home";
      all[args.length + 1] = home.toString();
      all[args.length + 2] = "--passphrase-file";
      all[args.length + 3] = pass.toString();
      CommandLine cmd =
          new CommandLine(new DeossCommand()).setExecutionExceptionHandler(new ErrorHandler());
      cmd.setOut(new PrintWriter(out, true));
      cmd.setErr(new PrintWriter(err, true));
      return cmd.execute(all);
    }

    /** Runs a command that must succeed; returns what it printed. */
    String ok(String... args) {
      int code = run(args);
      assertEquals(0, code, String.join(" ", args) + ": " + err);
      return out.toString();
    }

    /** Runs a command that must be refused with exit 2; returns its error text. */
    String refused(String... args) {
      int code = run(args);
      assertEquals(2, code, String.join(" ", args) + " should exit 2: " + out + err);
      return err.toString();
    }
  }

  @BeforeAll
  void startNodeAndMiners() throws Exception {
    ledger =
        EmbeddedLedger.open(
            dir.resolve("node"), NodeCommand.devGenesis(), EmbeddedLedger.Options.defaults());
    server =
        LedgerNodeServer.start(
            ledger, new InetSocketAddress("127.0.0.1", 0), LedgerNodeServer.Options.defaults());
    for (int i = 0; i < 12; i++) {
      byte[] seed = new byte[32];
      seed[0] = (byte) (i + 1);
      seed[31] = 77;
      AccountKeys keys = AccountKeys.fromSeed(seed);
      new TxBuilder(ledger, keys).submitAndWait(new Call.Faucet());
      miners.add(
          MinerDaemon.start(
              keys,
              ledger,
              MinerDaemon.Config.of(
                  dir.resolve("miner-" + i), 1L << 30, "127.0.0.1", 0, "zone-" + i % 3)));
    }
    alice = new Account("alice");
    bob = new Account("bob");
    carol = new Account("carol");
    alice.ok("faucet");
    alice.ok("space", "buy", "--gib", "1", "--days", "30");
    bob.ok("faucet");
    bob.ok("space", "buy", "--gib", "1", "--days", "30");
  }

  @AfterAll
  void stop() throws Exception {
    for (MinerDaemon m : miners) {
      m.close();
    }
    server.close();
    ledger.close();
  }

  @BeforeEach
  void freshBucket() {
    bucket = "bucket-" + (++bucketCounter);
    alice.ok("bucket", "create", bucket);
  }

  private Path file(String name, int size, long seed) throws Exception {
    byte[] data = new byte[size];
    new SplittableRandom(seed).nextBytes(data);
    Path f = dir.resolve(name);
    Files.write(f, data);
    return f;
  }

  @Test
  void putGetLsRm_roundTripsAFile() throws Exception {
    Path f = file("photo.jpg", 300_000, 1);
    String put = alice.ok("put", f.toString(), bucket + "/dir/photo.jpg");
    assertTrue(put.startsWith("stored " + bucket + "/dir/photo.jpg"), put);
    assertTrue(put.contains("private"), put);
    Path back = dir.resolve("back.jpg");
    alice.ok("get", bucket + "/dir/photo.jpg", back.toString());
    assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(back));
    assertFalse(Files.exists(dir.resolve("back.jpg.part")), "the part file is renamed");
    String root = alice.ok("ls", bucket);
    assertTrue(root.strip().endsWith("PRE dir/"), root);
    String inside = alice.ok("ls", bucket + "/dir/");
    assertTrue(inside.strip().endsWith(" 300000 photo.jpg"), inside);
    JsonNode json = new ObjectMapper().readTree(alice.ok("ls", "--recursive", "--json", bucket));
    assertEquals("dir/photo.jpg", json.get("key").asText());
    assertEquals(300_000, json.get("size").asLong());
    assertTrue(alice.ok("ls").contains(" " + bucket + "\n"), "without an argument: buckets");
    alice.ok("rm", bucket + "/dir/photo.jpg");
    assertEquals("", alice.ok("ls", bucket).strip());
    assertTrue(
        alice.refused("get", bucket + "/dir/photo.jpg", back.toString()).contains("no object"));
  }

  @Test
  void putFromStdin_andGetToStdout_carryTheBytes() throws Exception {
    byte[] data = new byte[70_000];
    new SplittableRandom(9).nextBytes(data);
    java.io.InputStream in = System.in;
    java.io.PrintStream out = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    try {
      System.setIn(new java.io.ByteArrayInputStream(data));
      alice.ok("put", "-", bucket + "/stdin.bin");
      System.setOut(new java.io.PrintStream(captured, true));
      alice.ok("get", bucket + "/stdin.bin");
    } finally {
      System.setIn(in);
      System.setOut(out);
    }
    assertArrayEquals(data, captured.toByteArray());
  }

  @Test
  void ls_pagesThroughFoldersAndObjectsInKeyOrder() throws Exception {
    Path f = file("small", 10, 2);
    for (String key : List.of("a", "b/1", "b/2", "c", "d/x/y", "e")) {
      alice.ok("put", f.toString(), bucket + "/" + key);
    }
    String text = alice.ok("ls", "--page-size", "2", bucket);
    List<String> names = new ArrayList<>();
    for (String line : text.strip().split("\n")) {
      String[] parts = line.strip().split("\\s+");
      names.add(parts[parts.length - 1]);
    }
    assertEquals(List.of("a", "b/", "c", "d/", "e"), names, text);
    String recursive = alice.ok("ls", "-r", "--page-size", "1", bucket);
    assertEquals(6, recursive.strip().split("\n").length, recursive);
  }

  @Test
  void share_withRevokeAndPublic_controlWhoReads() throws Exception {
    Path f = file("report", 50_000, 3);
    alice.ok("put", f.toString(), bucket + "/report");
    Path got = dir.resolve("bob-report");
    String denied =
        bob.refused("get", "--owner", alice.address, bucket + "/report", got.toString());
    assertTrue(denied.contains("may not read"), denied);
    assertFalse(Files.exists(got), "nothing written when refused");

    alice.ok("share", bucket + "/report", "--with", bob.address);
    bob.ok("get", "--owner", alice.address, bucket + "/report", got.toString());
    assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(got));
    JsonNode sharedJson = new ObjectMapper().readTree(bob.ok("ls", "--shared", "--json"));
    assertEquals(alice.address, sharedJson.get("owner").asText());
    assertEquals("report", sharedJson.get("key").asText());
    String shared = bob.ok("ls", "--shared");
    assertTrue(shared.contains(alice.address + "/" + bucket + "/report"), shared);
    JsonNode readers =
        new ObjectMapper().readTree(alice.ok("share", "--list", "--json", bucket + "/report"));
    assertEquals("SHARED", readers.get("visibility").asText());
    assertEquals(bob.address, readers.get("grantees").get(0).asText());

    Path v2 = file("report-v2", 40_000, 4);
    alice.ok("put", v2.toString(), bucket + "/report");
    bob.ok("get", "--owner", alice.address, bucket + "/report", got.toString());
    assertArrayEquals(
        Files.readAllBytes(v2), Files.readAllBytes(got), "a new version stays shared");

    alice.ok("share", bucket + "/report", "--revoke", bob.address);
    bob.refused("get", "--owner", alice.address, bucket + "/report", got.toString());
    assertFalse(bob.ok("ls", "--shared").contains(bucket + "/report"));
    alice.ok("put", file("report-v3", 1000, 5).toString(), bucket + "/report");
    bob.refused("get", "--owner", alice.address, bucket + "/report", got.toString());

    alice.ok("share", bucket + "/report", "--public");
    carol.ok("get", "--owner", alice.address, bucket + "/report", got.toString());
    assertEquals(1000, Files.size(got));
    alice.ok("share", bucket + "/report", "--private");
    carol.refused("get", "--owner", alice.address, bucket + "/report", got.toString());
  }

  @Test
  void authorizedOperator_readsNewVersions_untilDeauthorized() throws Exception {
    alice.ok("authorize", bob.address);
    assertTrue(alice.ok("authorize", "--list").contains(bob.address));
    alice.ok("put", file("op", 5000, 6).toString(), bucket + "/op");
    Path got = dir.resolve("op-got");
    bob.ok("get", "--owner", alice.address, bucket + "/op", got.toString());
    assertFalse(bob.ok("ls", "--shared").contains(bucket + "/op"), "an operator is no grantee");
    alice.ok("deauthorize", bob.address);
    alice.ok("put", file("op2", 5000, 7).toString(), bucket + "/op");
    bob.refused("get", "--owner", alice.address, bucket + "/op", got.toString());
    assertTrue(alice.refused("deauthorize", bob.address).contains("not authorized"));
  }

  @Test
  void badInputs_exit2_withAMessageSayingWhatToDo() throws Exception {
    Path f = file("x", 10, 8);
    assertTrue(
        alice.refused("put", dir.resolve("missing").toString(), bucket + "/k").contains("no file"));
    assertTrue(alice.refused("put", f.toString(), bucket).contains("BUCKET/KEY"));
    assertTrue(alice.refused("put", f.toString(), "Bad_Bucket/k").contains("bad bucket name"));
    assertTrue(alice.refused("put", f.toString(), "nobucket/k").contains("no such bucket"));
    alice.ok("put", f.toString(), bucket + "/k");
    String noKey = alice.refused("share", bucket + "/k", "--with", carolWithoutKey());
    assertTrue(noKey.contains("has not published an encryption key"), noKey);
    assertTrue(noKey.contains("deoss faucet"), noKey);
    assertTrue(
        alice
            .refused("share", bucket + "/k", "--with", "not-an-address")
            .contains("not an account address"));
    assertTrue(alice.refused("share", bucket + "/missing", "--list").contains("no object"));
    assertEquals(2, alice.run("share", bucket + "/k", "--public", "--private"));
    assertTrue(alice.refused("get", bucket + "/missing").contains("no object"));
    assertTrue(alice.refused("authorize", "xyz").contains("not an account address"));
  }

  /** An address whose account never ran a command, so it has published no key. */
  private String carolWithoutKey() {
    byte[] seed = new byte[32];
    seed[5] = 42;
    return AccountKeys.fromSeed(seed).id().address();
  }

  @Test
  void completion_printsABashScriptNamingTheCommands() {
    Cli cli = new Cli();
    assertEquals(0, cli.run("completion"), cli.err.toString());
    String script = cli.out.toString();
    assertTrue(script.contains("complete -F"), script.substring(0, 200));
    for (String c : List.of("put", "get", "share", "authorize", "bucket")) {
      assertTrue(script.contains(c), c);
    }
  }
}
