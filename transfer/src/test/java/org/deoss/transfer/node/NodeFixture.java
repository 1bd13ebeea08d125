package org.deoss.transfer.node;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.embedded.EmbeddedLedger;

/** An embedded ledger in a folder served by a node on loopback; can be stopped and restarted. */
final class NodeFixture implements AutoCloseable {
  final Path dir;
  final Genesis genesis;
  final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final LedgerNodeServer.Options serverOptions;
  private final Path receiptLog;
  EmbeddedLedger ledger;
  LedgerNodeServer server;
  private int port;

  NodeFixture(Path dir, Genesis genesis, LedgerNodeServer.Options serverOptions) throws Exception {
    this(dir, genesis, serverOptions, null);
  }

  /** With a receipt log at {@code receiptLog} (outside {@code dir}), or none if null. */
  NodeFixture(Path dir, Genesis genesis, LedgerNodeServer.Options serverOptions, Path receiptLog)
      throws Exception {
    this.dir = dir;
    this.genesis = genesis;
    this.serverOptions = serverOptions;
    this.receiptLog = receiptLog;
    start();
    port = server.port();
  }

  NodeFixture(Path dir, Genesis genesis) throws Exception {
    this(dir, genesis, LedgerNodeServer.Options.defaults());
  }

  void start() throws Exception {
    ledger = EmbeddedLedger.open(dir, genesis, new EmbeddedLedger.Options(64, 1000, clock::get, 0));
    InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    server =
        receiptLog == null
            ? LedgerNodeServer.start(ledger, bind, serverOptions)
            : LedgerNodeServer.start(ledger, bind, serverOptions, receiptLog);
  }

  /** Stops the server, then closes the ledger (queued transactions are committed first). */
  void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
    if (ledger != null) {
      ledger.close();
      ledger = null;
    }
  }

  RemoteLedgerClient client() {
    return client(RemoteLedgerClient.Options.defaults());
  }

  RemoteLedgerClient client(RemoteLedgerClient.Options options) {
    return RemoteLedgerClient.connect(java.net.URI.create("http://127.0.0.1:" + port), options);
  }

  static RemoteLedgerClient.Options quickRecovery(Duration window) {
    return RemoteLedgerClient.Options.defaults().withRecoveryWindow(window);
  }

  @Override
  public void close() {
    stop();
  }
}
