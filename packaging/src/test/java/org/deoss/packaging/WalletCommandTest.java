package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalletCommandTest {
  @TempDir Path home;

  private final Cli cli = new Cli();
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  private int run(String... args) {
    return cli.run(args);
  }

  private Path passphrase(String text) throws Exception {
    Path f = Files.createTempFile(home, "pass", ".txt");
    Files.writeString(f, text + "\n");
    return f;
  }

  @Test
  void create_thenShow_printsTheSameCessAddress() throws Exception {
    Path pass = passphrase("correct horse");
    assertEquals(
        0,
        run("wallet", "create", "--home", home.toString(), "--passphrase-file", pass.toString()));
    String address = out.toString().strip();
    assertTrue(address.startsWith("cX"), address);
    AccountId.parse(address);
    out.getBuffer().setLength(0);
    assertEquals(
        0,
        run(
            "wallet",
            "show",
            "--verify",
            "--home",
            home.toString(),
            "--passphrase-file",
            pass.toString()));
    assertEquals(address, out.toString().strip());
  }

  @Test
  void create_whenWalletExists_refusesWithExitCode2() throws Exception {
    Path pass = passphrase("p");
    assertEquals(
        0,
        run("wallet", "create", "--home", home.toString(), "--passphrase-file", pass.toString()));
    assertEquals(
        2,
        run("wallet", "create", "--home", home.toString(), "--passphrase-file", pass.toString()));
    assertTrue(err.toString().contains("never overwritten"), err.toString());
  }

  @Test
  void show_wrongPassphrase_saysSoWithExitCode2() throws Exception {
    assertEquals(
        0,
        run(
            "wallet",
            "create",
            "--home",
            home.toString(),
            "--passphrase-file",
            passphrase("right").toString()));
    int code =
        run(
            "wallet",
            "show",
            "--verify",
            "--home",
            home.toString(),
            "--passphrase-file",
            passphrase("wrong").toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains("wrong passphrase"), err.toString());
  }

  @Test
  void show_noWallet_tellsHowToCreateOne() {
    assertEquals(2, run("wallet", "show", "--home", home.resolve("none").toString()));
    assertTrue(err.toString().contains("deoss wallet create"), err.toString());
  }

  @Test
  void importThenExport_returnsTheSeed() throws Exception {
    String seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    Path seedFile = home.resolve("seed.hex");
    Files.writeString(seedFile, seed + "\n");
    Path pass = passphrase("p");
    assertEquals(
        0,
        run(
            "wallet",
            "import",
            "--seed-file",
            seedFile.toString(),
            "--home",
            home.toString(),
            "--passphrase-file",
            pass.toString()));
    String expected = AccountKeys.fromSeed(java.util.HexFormat.of().parseHex(seed)).id().address();
    assertEquals(expected, out.toString().strip());
    out.getBuffer().setLength(0);
    assertEquals(
        0,
        run("wallet", "export", "--home", home.toString(), "--passphrase-file", pass.toString()));
    assertEquals(seed, out.toString().strip());
  }

  @Test
  void import_badSeed_namesTheProblem() throws Exception {
    Path seedFile = home.resolve("seed.hex");
    Files.writeString(seedFile, "abcd");
    assertEquals(
        2,
        run(
            "wallet",
            "import",
            "--seed-file",
            seedFile.toString(),
            "--home",
            home.toString(),
            "--passphrase-file",
            passphrase("p").toString()));
    assertTrue(err.toString().contains("2 bytes"), err.toString());
  }

  @Test
  void everyCommand_hasHelp() {
    for (String[] args :
        new String[][] {
          {"--help"},
          {"wallet", "--help"},
          {"wallet", "create", "--help"},
          {"wallet", "show", "--help"},
          {"wallet", "import", "--help"},
          {"wallet", "export", "--help"}
        }) {
      out.getBuffer().setLength(0);
      assertEquals(0, run(args), String.join(" ", args));
      assertTrue(out.toString().contains("Usage:"), String.join(" ", args));
    }
  }
}
