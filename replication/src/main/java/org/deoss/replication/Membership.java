package org.deoss.replication;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.util.TimeDuration;

/**
 * Membership changes of a running group, from any process that can reach it (the command line).
 * Raft changes the configuration through a joint consensus entry; a new member first catches up
 * (log or snapshot) as a non-voting staging member, so a majority is never lost on the way.
 */
public final class Membership {
  private static final TimeDuration RETRY_FOR = TimeDuration.valueOf(20, TimeUnit.SECONDS);

  /** A member that does not answer a question within this is passed over for the next. */
  private static final TimeDuration ASK_FOR = TimeDuration.valueOf(3, TimeUnit.SECONDS);

  private Membership() {}

  /**
   * The members the group's configuration lists now, as known by the first of {@code contact} that
   * answers.
   *
   * @throws IOException when none answers
   */
  public static List<Peer> members(List<Peer> contact, String networkId) throws IOException {
    RaftGroupId id = RatisGroup.groupId(networkId);
    IOException last = null;
    for (Peer p : contact) {
      try (RaftClient c = RatisGroup.client(RatisGroup.group(networkId, List.of(p)), ASK_FOR)) {
        GroupInfoReply info = c.getGroupManagementApi(RatisGroup.peerId(p.id())).info(id);
        List<Peer> out = new ArrayList<>();
        for (RaftPeer rp : info.getGroup().getPeers()) {
          out.add(Peer.parse(rp.getId() + "=" + rp.getAddress()));
        }
        return List.copyOf(out);
      } catch (IOException e) {
        last = e;
      }
    }
    throw new IOException("no peer of " + contact + " answered: " + last, last);
  }

  /**
   * The id of the group's leader as known by the first of {@code contact} that answers (itself if
   * it leads, else the leader it follows); empty during an election.
   *
   * @throws IOException when none answers
   */
  public static java.util.Optional<String> leader(List<Peer> contact, String networkId)
      throws IOException {
    RaftGroupId id = RatisGroup.groupId(networkId);
    IOException last = null;
    for (Peer p : contact) {
      try (RaftClient c = RatisGroup.client(RatisGroup.group(networkId, List.of(p)), ASK_FOR)) {
        RoleInfoProto role =
            c.getGroupManagementApi(RatisGroup.peerId(p.id())).info(id).getRoleInfoProto();
        if (role.getRole() == RaftPeerRole.LEADER) {
          return java.util.Optional.of(p.id());
        }
        if (role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()) {
          String leader = role.getFollowerInfo().getLeaderInfo().getId().getId().toStringUtf8();
          return leader.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(leader);
        }
        return java.util.Optional.empty();
      } catch (IOException e) {
        last = e;
      }
    }
    throw new IOException("no peer of " + contact + " answered: " + last, last);
  }

  /**
   * Adds {@code peer} (already started with a peer list that includes itself) to the group.
   *
   * @return the new membership
   * @throws IllegalArgumentException if a member has that id already
   * @throws IOException if the group could not be reached or refused the change
   */
  public static List<Peer> add(List<Peer> contact, Peer peer, String networkId) throws IOException {
    List<Peer> now = members(contact, networkId);
    if (now.stream().anyMatch(p -> p.id().equals(peer.id()))) {
      throw new IllegalArgumentException("peer " + peer.id() + " is a member already: " + now);
    }
    List<Peer> next = new ArrayList<>(now);
    next.add(peer);
    return change(now, next, networkId);
  }

  /**
   * Removes the member {@code id} from the group (it may then be stopped).
   *
   * @return the new membership
   * @throws IllegalArgumentException if no member has that id, or it is the last one
   * @throws IOException if the group could not be reached or refused the change
   */
  public static List<Peer> remove(List<Peer> contact, String id, String networkId)
      throws IOException {
    List<Peer> now = members(contact, networkId);
    List<Peer> next = now.stream().filter(p -> !p.id().equals(id)).toList();
    if (next.size() == now.size()) {
      throw new IllegalArgumentException("peer " + id + " is not a member: " + now);
    }
    if (next.isEmpty()) {
      throw new IllegalArgumentException("peer " + id + " is the last member");
    }
    return change(now, next, networkId);
  }

  private static List<Peer> change(List<Peer> now, List<Peer> next, String networkId)
      throws IOException {
    RaftGroup group = RatisGroup.group(networkId, now);
    try (RaftClient c = RatisGroup.client(group, RETRY_FOR)) {
      RaftClientReply reply = c.admin().setConfiguration(RatisGroup.raftPeers(next));
      if (!reply.isSuccess()) {
        throw new IOException(
            "the group refused the change to " + next + ": " + reply.getException());
      }
    }
    return List.copyOf(next);
  }
}
