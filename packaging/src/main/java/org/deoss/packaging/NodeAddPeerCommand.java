package org.deoss.packaging;

import java.util.concurrent.Callable;
import org.deoss.replication.Membership;
import org.deoss.replication.Peer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deoss node add-peer}: a new member joins the replicated ledger's group. */
@Command(
    name = "add-peer",
    mixinStandardHelpOptions = true,
    description = {
      "Add a member to a replicated ledger's Raft group.",
      "Start the new node first, with --id NEW and --peers listing the current members and"
          + " itself; it catches up (log or snapshot) before it votes. Prints the new members."
    })
final class NodeAddPeerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--peers",
      required = true,
      paramLabel = "ID=HOST:PORT,...",
      description = "Current members to contact (any one that answers will do).")
  String peers;

  @Option(
      names = "--peer",
      required = true,
      paramLabel = "ID=HOST:PORT",
      description = "The member to add: its id and Raft address.")
  String peer;

  @Override
  public Integer call() throws Exception {
    Peer added;
    try {
      added = Peer.parse(peer);
    } catch (IllegalArgumentException e) {
      throw new UserException("--peer: " + e.getMessage(), e);
    }
    try {
      for (Peer p :
          Membership.add(
              ReplicatedNode.peers(peers, "--peers"),
              added,
              NodeCommand.devGenesis().networkId())) {
        spec.commandLine().getOut().println(p);
      }
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage(), e);
    }
    return 0;
  }
}
