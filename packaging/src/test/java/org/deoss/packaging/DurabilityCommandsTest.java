package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.deoss.core.ledger.Genesis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityCommandsTest {
  @TempDir Path home;

  @Test
  void durations_parseEveryUnit_andRefuseZeroAndJunk_namingTheOption() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms", "--x"));
    assertEquals(Duration.ofSeconds(5), Durations.parse(" 5s ", "--x"));
    assertEquals(Duration.ofMinutes(10), Durations.parse("10m", "--x"));
    assertEquals(Duration.ofHours(2), Durations.parse("2H", "--x"));
    assertEquals(Duration.ofDays(1), Durations.parse("1d", "--x"));
    for (String bad : new String[] {"0s", "5", "fast", "-1s", "1.5s"}) {
      UserException e = assertThrows(UserException.class, () -> Durations.parse(bad, "--beat"));
      assertTrue(e.getMessage().contains("--beat '" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void repair_withoutAWallet_saysWhereItLooked() {
    Cli cli = new Cli();
    int code = cli.run("repair", "--home", home.toString(), "--node", "http://127.0.0.1:1");
    assertNotEquals(0, code);
    assertTrue(cli.err.toString().contains("no wallet at"), cli.err.toString());
  }

  @Test
  void repair_withABadRate_namesIt() {
    Cli cli = new Cli();
    int code = cli.run("repair", "--home", home.toString(), "--rate", "lots");
    assertNotEquals(0, code);
    assertTrue(cli.err.toString().contains("'lots' is not a size"), cli.err.toString());
  }

  @Test
  void repair_withABadThreshold_namesIt_andHelpGivesTheDefault() {
    Cli cli = new Cli();
    int code = cli.run("repair", "--home", home.toString(), "--repair-at", "k-1");
    assertNotEquals(0, code);
    assertTrue(cli.err.toString().contains("'k-1'"), cli.err.toString());
    Cli help = new Cli();
    assertEquals(0, help.run("repair", "--help"));
    assertTrue(help.out.toString().contains("default: k+2"), help.out.toString());
  }

  @Test
  void minerExit_isASubcommand_withItsOwnHelp() {
    Cli cli = new Cli();
    assertEquals(0, cli.run("miner", "exit", "--help"));
    assertTrue(cli.out.toString().contains("--wait"), cli.out.toString());
    assertTrue(cli.out.toString().contains("leave the network"), cli.out.toString());
  }

  @Test
  void node_withAuditOptions_buildsAGenesisWithThem_andWithoutKeepsTheDevGenesis() {
    NodeCommand plain = new NodeCommand();
    plain.auditWindow = 50;
    plain.auditFragments = 4;
    plain.faultThreshold = 3;
    plain.auditMiners = 1;
    assertEquals(NodeCommand.devGenesis().hash(), plain.legacyGenesis().hash());
    assertEquals(Genesis.RULES_VERSION, plain.genesis().rulesVersion());
    assertEquals(Genesis.TOKEN / 100, plain.genesis().proofReward());
    assertEquals(Genesis.TOKEN, plain.genesis().faultPenalty());
    NodeCommand audited = new NodeCommand();
    audited.auditEvery = 3;
    audited.auditMiners = 4;
    audited.auditFragments = 2;
    audited.auditWindow = 60;
    audited.faultThreshold = 2;
    audited.offlineAfter = "5s";
    var g = audited.genesis();
    assertEquals(3, g.challengeEveryBlocks());
    assertEquals(4, g.challengeMiners());
    assertEquals(5000, g.offlineAfterMillis());
    audited.auditWindow = 0;
    UserException e = assertThrows(UserException.class, audited::genesis);
    assertTrue(e.getMessage().contains("challengeWindowBlocks"), e.getMessage());
  }
}
