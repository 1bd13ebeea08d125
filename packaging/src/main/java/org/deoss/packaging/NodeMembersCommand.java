package org.deoss.packaging;

import java.util.concurrent.Callable;
import org.deoss.replication.Membership;
import org.deoss.replication.Peer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deoss node members}: the current members of a replicated ledger's group. */
@Command(
    name = "members",
    mixinStandardHelpOptions = true,
    description = {
      "List the members of a replicated ledger's Raft group, one ID=HOST:PORT a line;",
      "the leader's line ends with ' leader'."
    })
final class NodeMembersCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--peers",
      required = true,
      paramLabel = "ID=HOST:PORT,...",
      description = "Members to ask (any one that answers will do).")
  String peers;

  @Override
  public Integer call() throws Exception {
    var contact = ReplicatedNode.peers(peers, "--peers");
    String net = NodeCommand.devGenesis().networkId();
    var leader = Membership.leader(contact, net);
    for (Peer p : Membership.members(contact, net)) {
      boolean leads = leader.isPresent() && leader.get().equals(p.id());
      spec.commandLine().getOut().println(p + (leads ? " leader" : ""));
    }
    return 0;
  }
}
