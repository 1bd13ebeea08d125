package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deoss node's replication options and membership commands, without starting a group (bad input
 * exits 2).
 */
class NodeCommandTest {
  @TempDir Path home;

  private final Cli cli = new Cli();

  @Test
  void node_peersWithoutId_isRefusedNamingBoth() {
    assertEquals(2, cli.run("node", "--home", home.toString(), "--peers", "n1=127.0.0.1:9940"));
    assertTrue(cli.err.toString().contains("--peers and --id go together"), cli.err.toString());
  }

  @Test
  void node_idNotAmongThePeers_isRefusedNamingIt() {
    assertEquals(
        2,
        cli.run(
            "node",
            "--home",
            home.toString(),
            "--listen",
            "127.0.0.1:0",
            "--id",
            "n9",
            "--peers",
            "n1=127.0.0.1:9940,n2=127.0.0.1:9941,n3=127.0.0.1:9942"));
    assertTrue(cli.err.toString().contains("--id n9 is not one of the peers"), cli.err.toString());
  }

  @Test
  void node_malformedPeers_isRefusedNamingTheOption() {
    assertEquals(
        2, cli.run("node", "--home", home.toString(), "--id", "n1", "--peers", "n1=127.0.0.1"));
    assertTrue(cli.err.toString().contains("--peers: peer must look like"), cli.err.toString());
  }

  @Test
  void membershipCommands_haveHelp() {
    for (String sub : new String[] {"members", "add-peer", "remove-peer"}) {
      assertEquals(0, cli.run("node", sub, "--help"), sub);
      assertTrue(cli.out.toString().contains("--peers"), sub + ": " + cli.out);
    }
    assertEquals(0, cli.run("node", "--help"));
    assertTrue(cli.out.toString().contains("add-peer"), cli.out.toString());
  }
}
