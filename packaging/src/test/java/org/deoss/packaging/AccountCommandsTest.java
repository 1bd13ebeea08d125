package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deoss.core.ledger.embedded.EmbeddedLedger;
import org.deoss.transfer.node.LedgerNodeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** faucet, space and bucket against a real ledger node on loopback (in this JVM). */
class AccountCommandsTest {
  @TempDir Path dir;

  private EmbeddedLedger ledger;
  private LedgerNodeServer server;
  private Path home;
  private Path pass;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void startNodeAndWallet() throws Exception {
    ledger =
        EmbeddedLedger.open(
            dir.resolve("node"), NodeCommand.devGenesis(), EmbeddedLedger.Options.defaults());
    server =
        LedgerNodeServer.start(
            ledger, new InetSocketAddress("127.0.0.1", 0), LedgerNodeServer.Options.defaults());
    home = dir.resolve("home");
    Files.createDirectories(home);
    Files.writeString(home.resolve("node.url"), server.uri() + "\n");
    pass = dir.resolve("pass.txt");
    Files.writeString(pass, "account test\n");
    assertEquals(0, run("wallet", "create"), err.toString());
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
  }

  @AfterEach
  void stopNode() throws Exception {
    server.close();
    ledger.close();
  }

  /** Runs a command with this test's home and passphrase file appended. */
  private int run(String... args) {
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

  private String takeOut() {
    String s = out.toString();
    out.getBuffer().setLength(0);
    return s;
  }

  @Test
  void faucet_creditsTheAccountAndPrintsTheBalance() throws Exception {
    assertEquals(0, run("faucet"), err.toString());
    assertEquals("claimed 100 tokens; balance 100 tokens", takeOut().strip());
    var keys =
        org.deoss.core.account.Wallet.open(
            home.resolve("wallet.json"),
            java.nio.file.Files.readString(pass).strip().toCharArray());
    assertArrayEquals(
        org.deoss.core.account.EncryptionKeys.derive(keys).publicKey(),
        ledger.encryptionKey(keys.id()).orElseThrow(),
        "the first faucet claim announces the account's encryption key");
  }

  @Test
  void faucet_claimedTwiceInItsWindow_saysSoInWordsWithExitCode2() {
    assertEquals(0, run("faucet"), err.toString());
    assertEquals(2, run("faucet"));
    assertTrue(err.toString().contains("already claimed from the faucet"), err.toString());
  }

  @Test
  void spaceBuy_thenShowJson_reportsPurchasedBytesAndActiveState() throws Exception {
    assertEquals(0, run("faucet"), err.toString());
    takeOut();
    assertEquals(0, run("space", "buy", "--gib", "2", "--days", "30"), err.toString());
    String bought = takeOut();
    assertTrue(bought.startsWith("bought 2 GiB for 30 days"), bought);
    assertEquals(0, run("space", "show", "--json"), err.toString());
    JsonNode json = new ObjectMapper().readTree(takeOut());
    assertEquals("ACTIVE", json.get("state").asText());
    assertEquals(2L << 30, json.get("purchasedBytes").asLong());
    assertEquals(0, json.get("usedBytes").asLong());
    assertEquals(2L << 30, json.get("freeBytes").asLong());
  }

  @Test
  void spaceShow_withoutPurchase_saysHowToBuy() {
    assertEquals(0, run("space", "show"), err.toString());
    String text = takeOut();
    assertTrue(text.contains("NONE"), text);
    assertTrue(text.contains("deoss space buy"), text);
  }

  @Test
  void spaceBuy_withoutTokens_saysTooFewTokensWithExitCode2() {
    assertEquals(2, run("space", "buy", "--gib", "1", "--days", "1"));
    assertTrue(err.toString().contains("too few tokens"), err.toString());
  }

  @Test
  void spaceBuy_zeroGib_namesTheOptionWithExitCode2() {
    assertEquals(2, run("space", "buy", "--gib", "0", "--days", "1"));
    assertTrue(err.toString().contains("--gib 0"), err.toString());
  }

  @Test
  void bucketCreateLsRm_roundTrip() throws Exception {
    assertEquals(0, run("bucket", "create", "photos"), err.toString());
    assertEquals(0, run("bucket", "create", "music"), err.toString());
    takeOut();
    assertEquals(0, run("bucket", "ls", "--json"), err.toString());
    JsonNode list = new ObjectMapper().readTree(takeOut());
    assertEquals(2, list.size(), list.toString());
    assertEquals(0, list.get(0).get("objects").asLong());
    assertEquals(0, run("bucket", "rm", "photos"), err.toString());
    takeOut();
    assertEquals(0, run("bucket", "ls"), err.toString());
    String text = takeOut();
    assertTrue(text.startsWith("music\t0\t"), text);
    assertTrue(!text.contains("photos"), text);
  }

  @Test
  void bucketCreate_badName_explainsTheRuleWithExitCode2() {
    assertEquals(2, run("bucket", "create", "Photos"));
    assertTrue(err.toString().contains("only lowercase letters"), err.toString());
  }

  @Test
  void bucketCreate_existing_saysItExistsWithExitCode2() {
    assertEquals(0, run("bucket", "create", "photos"), err.toString());
    assertEquals(2, run("bucket", "create", "photos"));
    assertTrue(err.toString().contains("already exists"), err.toString());
  }

  @Test
  void bucketRm_missing_saysThereIsNoSuchBucketWithExitCode2() {
    assertEquals(2, run("bucket", "rm", "nothing-here"));
    assertTrue(err.toString().contains("no such bucket"), err.toString());
  }

  @Test
  void bucketLs_withoutNodeUrl_tellsToPassNodeWithExitCode2() throws Exception {
    Files.delete(home.resolve("node.url"));
    assertEquals(2, run("bucket", "ls"));
    assertTrue(err.toString().contains("--node URL"), err.toString());
  }

  @Test
  void bucketLs_nodeDown_failsWithExitCode1() throws Exception {
    String url = server.uri().toString();
    server.close();
    assertEquals(1, run("bucket", "ls", "--node", url));
    assertTrue(err.toString().startsWith("deoss bucket ls: "), err.toString());
  }
}
