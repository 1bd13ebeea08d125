package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** deoss gateway's command line: help and the option rules checked before anything starts. */
class GatewayCommandTest {
  private final Cli cli = new Cli();

  @Test
  void help_listsTheOptions() {
    assertEquals(0, cli.run("gateway", "--help"));
    String help = cli.out.toString();
    for (String option :
        new String[] {
          "--listen", "--node", "--tls-cert", "--tls-key", "--tls-self-signed", "--max-object"
        }) {
      assertTrue(help.contains(option), option + " in:\n" + help);
    }
    assertTrue(help.contains("deoss authorize"), help);
  }

  @Test
  void tlsCert_withoutKey_isAUsageError() {
    assertEquals(2, cli.run("gateway", "--tls-cert", "cert.pem"));
    assertTrue(cli.err.toString().contains("--tls-key"), cli.err.toString());
  }

  @Test
  void selfSigned_andACertificate_excludeEachOther() {
    assertEquals(
        2, cli.run("gateway", "--tls-self-signed", "--tls-cert", "c.pem", "--tls-key", "k.pem"));
    assertTrue(cli.err.toString().contains("mutually exclusive"), cli.err.toString());
  }

  @Test
  void theTopLevelCommand_listsGateway() {
    assertEquals(0, cli.run("--help"));
    assertTrue(cli.out.toString().contains("gateway"), cli.out.toString());
  }
}
