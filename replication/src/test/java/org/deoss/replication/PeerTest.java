package org.deoss.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerTest {
  @Test
  void parseList_readsIdsHostsAndPorts() {
    assertEquals(
        List.of(new Peer("n1", "10.0.0.1", 9940), new Peer("n2", "::1", 9941)),
        Peer.parseList("n1=10.0.0.1:9940, n2=[::1]:9941"));
  }

  @Test
  void parseList_repeatedId_isRefusedNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Peer.parseList("n1=10.0.0.1:9940,n1=10.0.0.2:9940"));
    assertEquals(
        "peer id n1 is given twice in 'n1=10.0.0.1:9940,n1=10.0.0.2:9940'", e.getMessage());
  }

  @Test
  void parse_malformed_namesTheValue() {
    assertEquals(
        "peer must look like ID=HOST:PORT, got '10.0.0.1:9940'",
        assertThrows(IllegalArgumentException.class, () -> Peer.parse("10.0.0.1:9940"))
            .getMessage());
    assertEquals(
        "port of peer n1 must be 1..65535, got 70000",
        assertThrows(IllegalArgumentException.class, () -> Peer.parse("n1=h:70000")).getMessage());
    assertEquals(
        "peer id must be 1-64 letters, digits, '-' or '_', got 'n 1'",
        assertThrows(IllegalArgumentException.class, () -> Peer.parse("n 1=h:1")).getMessage());
  }

  @Test
  void address_bracketsIpv6() {
    assertEquals("[::1]:9940", new Peer("n1", "::1", 9940).address());
    assertEquals("n1=h:1", new Peer("n1", "h", 1).toString());
  }
}
