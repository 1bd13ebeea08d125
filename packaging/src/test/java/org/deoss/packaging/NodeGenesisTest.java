package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deoss.core.ledger.Genesis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeGenesisTest {
  @TempDir Path home;

  private static NodeCommand node(String dayLength, String grace) {
    NodeCommand n = new NodeCommand();
    n.dayLength = dayLength;
    n.grace = grace;
    return n;
  }

  @Test
  void aNewJournal_takesTheOptions_andKeepsThemForLaterStarts_whateverTheOptionsSayThen()
      throws Exception {
    Path dir = home.resolve("node");
    NodeCommand first = node("5s", "15s");
    NodeGenesis.Choice c1 = NodeGenesis.choose(dir, first.genesis(), first.legacyGenesis());
    assertNull(c1.note());
    assertEquals(5000, c1.genesis().dayMillis());
    assertEquals(15_000, c1.genesis().graceMillis());
    assertTrue(Files.exists(dir.resolve(NodeGenesis.FILE)));
    Files.writeString(dir.resolve("journal-0001"), "x"); // a journal now exists

    NodeCommand later = node("1d", "7d");
    NodeGenesis.Choice c2 = NodeGenesis.choose(dir, later.genesis(), later.legacyGenesis());
    assertEquals(c1.genesis().hash(), c2.genesis().hash());
    assertTrue(c2.note().contains("apply only to a new journal"), c2.note());
    NodeGenesis.Choice same = NodeGenesis.choose(dir, first.genesis(), first.legacyGenesis());
    assertNull(same.note(), "the same options: nothing to say");
  }

  @Test
  void aJournalFromBeforeGenesisFiles_opensWithTheFirstRules() throws Exception {
    Path dir = home.resolve("node");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("journal-0001"), "x");
    NodeCommand n = node("1d", "7d");
    NodeGenesis.Choice c = NodeGenesis.choose(dir, n.genesis(), n.legacyGenesis());
    assertEquals(NodeCommand.devGenesis().hash(), c.genesis().hash());
    assertEquals(1, c.genesis().rulesVersion());
    assertTrue(c.note().contains("rules version 1"), c.note());
  }

  @Test
  void aDamagedGenesisFile_isRefusedNamingIt() throws Exception {
    Path dir = home.resolve("node");
    Files.createDirectories(dir);
    Files.write(dir.resolve(NodeGenesis.FILE), new byte[] {1, 2, 3});
    NodeCommand n = new NodeCommand();
    UserException e =
        assertThrows(
            UserException.class, () -> NodeGenesis.choose(dir, n.genesis(), n.legacyGenesis()));
    assertTrue(e.getMessage().contains(NodeGenesis.FILE), e.getMessage());
  }

  @Test
  void tokens_parseDecimals_andRefuseWhatIsNotAnAmount() {
    assertEquals(Genesis.TOKEN / 100, Tokens.parse("0.01", "--proof-reward"));
    assertEquals(3 * Genesis.TOKEN, Tokens.parse("3", "--fault-penalty"));
    for (String bad : new String[] {"-1", "lots", "0.0000000000001"}) {
      UserException e =
          assertThrows(UserException.class, () -> Tokens.parse(bad, "--fault-penalty"), bad);
      assertTrue(e.getMessage().contains("--fault-penalty: '" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void minerStatus_isASubcommand_withItsOwnHelp() {
    Cli cli = new Cli();
    assertEquals(0, cli.run("miner", "status", "--help"));
    assertTrue(cli.out.toString().contains("rewards"), cli.out.toString());
  }
}
