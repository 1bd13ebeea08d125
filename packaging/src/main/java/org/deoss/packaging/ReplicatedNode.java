package org.deoss.packaging;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.deoss.core.ledger.Genesis;
import org.deoss.replication.Peer;
import org.deoss.replication.RatisLedger;
import org.deoss.transfer.node.LedgerNodeServer;

/** {@code deoss node --peers ... --id ...}: one replica of the replicated ledger, over HTTP. */
final class ReplicatedNode {
  private ReplicatedNode() {}

  static int run(
      Path home,
      Genesis genesis,
      String peerSpecs,
      String id,
      long snapshotEvery,
      HostPort listen,
      PrintWriter out)
      throws IOException, InterruptedException {
    List<Peer> peers = peers(peerSpecs, "--peers");
    RatisLedger.Config config;
    try {
      config =
          new RatisLedger.Config(
              id,
              peers,
              home.resolve("node"),
              genesis,
              RatisLedger.Options.defaults().withSnapshotEveryEntries(snapshotEvery));
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage(), e);
    }
    RatisLedger ledger = RatisLedger.start(config);
    LedgerNodeServer server;
    try {
      server =
          LedgerNodeServer.start(
              ledger,
              new InetSocketAddress(listen.host(), listen.port()),
              LedgerNodeServer.Options.defaults());
    } catch (RuntimeException e) {
      ledger.close();
      throw new UserException("cannot listen on " + listen + ": " + e.getMessage(), e);
    }
    String url = server.uri().toString();
    Daemons.writeAtomically(home.resolve("node.url"), url);
    out.println(
        "ledger node " + ledger.networkId() + " replica " + id + " of " + peers + " at " + url);
    out.flush();
    Daemons.awaitSignal(
        () -> {
          ledger.close();
          server.close();
        });
    return 0;
  }

  static List<Peer> peers(String specs, String option) {
    try {
      return Peer.parseList(specs);
    } catch (IllegalArgumentException e) {
      throw new UserException(option + ": " + e.getMessage(), e);
    }
  }
}
