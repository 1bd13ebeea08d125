package org.deoss.replication;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.util.TimeDuration;

/** Ratis names for one ledger network: its group id, its peers, a client of the group. */
final class RatisGroup {
  private RatisGroup() {}

  /** The group of network {@code networkId}: the same id on every node, derived from the name. */
  static RaftGroupId groupId(String networkId) {
    return RaftGroupId.valueOf(
        UUID.nameUUIDFromBytes(("deoss-ledger/" + networkId).getBytes(StandardCharsets.UTF_8)));
  }

  static RaftPeer raftPeer(Peer p) {
    return RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build();
  }

  static List<RaftPeer> raftPeers(List<Peer> peers) {
    return peers.stream().map(RatisGroup::raftPeer).toList();
  }

  static RaftGroup group(String networkId, List<Peer> peers) {
    return RaftGroup.valueOf(groupId(networkId), raftPeers(peers));
  }

  static RaftPeerId peerId(String id) {
    return RaftPeerId.valueOf(id);
  }

  /** Client properties: gRPC, and requests that give up after {@code timeout}. */
  static RaftProperties clientProperties(TimeDuration timeout) {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, timeout);
    return p;
  }

  /** A client of the group that follows its leader and retries for about {@code retryFor}. */
  static RaftClient client(RaftGroup group, TimeDuration retryFor) {
    TimeDuration sleep = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);
    int attempts = (int) Math.max(1, retryFor.toLong(TimeUnit.MILLISECONDS) / 100);
    RetryPolicy retry = RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts, sleep);
    RaftProperties props = clientProperties(TimeDuration.valueOf(3, TimeUnit.SECONDS));
    return RaftClient.newBuilder()
        .setClientId(ClientId.randomId())
        .setRaftGroup(group)
        .setProperties(props)
        .setRetryPolicy(retry)
        .build();
  }
}
