package org.deoss.transfer.miner.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.port.InMemoryFragmentStore;
import org.junit.jupiter.api.Test;

class MinerServerLifecycleTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static MinerServer server(int port) {
    return new MinerServer(
        AccountKeys.generate(RANDOM),
        new InMemoryFragmentStore(1 << 20),
        Admission.ANYONE,
        DeletionPolicy.NEVER,
        Runnable::run,
        MinerServerOptions.defaults("127.0.0.1", port),
        RANDOM);
  }

  @Test
  void start_onPortZero_reportsTheBoundPort_andStopIsIdempotent() {
    MinerServer s = server(0);
    assertEquals(MinerServer.State.NEW, s.state());
    InetSocketAddress bound = s.start();
    assertTrue(bound.getPort() > 0);
    assertEquals(bound, s.address());
    assertEquals(MinerServer.State.RUNNING, s.state());
    assertThrows(IllegalStateException.class, s::start);
    s.stop();
    s.stop();
    assertEquals(MinerServer.State.STOPPED, s.state());
    assertThrows(IllegalStateException.class, s::address);
  }

  @Test
  void start_onAPortInUse_failsNamingIt_andEndsFailed() {
    try (MinerServer first = server(0)) {
      int port = first.start().getPort();
      MinerServer second = server(port);
      IllegalStateException e = assertThrows(IllegalStateException.class, second::start);
      assertTrue(e.getMessage().contains(":" + port), e.getMessage());
      assertEquals(MinerServer.State.FAILED, second.state());
      second.stop();
      assertEquals(MinerServer.State.STOPPED, second.state());
    }
  }

  @Test
  void options_rejectBadValues_namingTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MinerServerOptions.defaults("127.0.0.1", 0)
                    .withLimits(1 << 20, 2 << 20, 1 << 20, 1 << 20));
    assertTrue(e.getMessage().contains("chunkSize"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MinerServerOptions.defaults("127.0.0.1", 0)
                    .withLimits(1 << 20, 1 << 16, 8 << 20, 1 << 20));
    assertTrue(e.getMessage().contains("putWindow"), e.getMessage());
  }
}
