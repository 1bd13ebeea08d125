package org.deoss.packaging;

import java.util.concurrent.Callable;
import org.deoss.replication.Membership;
import org.deoss.replication.Peer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deoss node remove-peer}: a member leaves the replicated ledger's group. */
@Command(
    name = "remove-peer",
    mixinStandardHelpOptions = true,
    description = {
      "Remove a member from a replicated ledger's Raft group; stop its node afterwards.",
      "Prints the remaining members."
    })
final class NodeRemovePeerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--peers",
      required = true,
      paramLabel = "ID=HOST:PORT,...",
      description = "Current members to contact (any one that answers will do).")
  String peers;

  @Option(names = "--id", required = true, paramLabel = "ID", description = "The member to remove.")
  String id;

  @Override
  public Integer call() throws Exception {
    try {
      for (Peer p :
          Membership.remove(
              ReplicatedNode.peers(peers, "--peers"), id, NodeCommand.devGenesis().networkId())) {
        spec.commandLine().getOut().println(p);
      }
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage(), e);
    }
    return 0;
  }
}
