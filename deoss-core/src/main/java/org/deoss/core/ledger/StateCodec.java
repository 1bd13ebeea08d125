package org.deoss.core.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.codec.ByteReader;
import org.deoss.core.ledger.codec.ByteWriter;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.SegmentRef;

/**
 * The snapshot encoding of a {@link LedgerState}: the whole primary state, canonically:
 *
 * <pre>
 * "deoss state v4":str genesisHash[32] height:v head[32] headTime:f64
 *   nextVersion:v nextChallenge:v nextRepair:v rewardPool:v
 * nRecent:v header*
 * nAccounts:v (id[32] balance:v nonce:v faucetStart:f64 faucetClaims:v gib:v start:f64
 *   deadline:f64 nOps:v op[32]* hasKey:bool [x25519[32]] nBuckets:v (name:str created:f64 nObj:v (key:str object)*)*)*
 * nMiners:v (id[32] endpoint:str capacity:v stake:v zone:str status:u8 registered:f64
 *   heartbeat:f64 reported:v faults:v proofs:v rewards:v penalties:v auditDue:bool
 *   hasCursor:bool [objectId[16] seg:v frag:v])*
 * nChallenges:v (id:v miner[32] n:v (hash[32] leaf:v leafCount:v)* issued:v deadline:v)*
 * nRepairs:v (id:v objectId[16] seg:v frag:v hash[32] from[32] created:v)*
 * </pre>
 *
 * Older versions are still read: version 3 lacks {@code rewardPool} and the miners' {@code
 * rewards}, {@code penalties} and {@code auditDue} (read as 0 and false), version 2 also lacks
 * {@code leafCount} in a challenge (the leaf counts of its open challenges are derived from the
 * fragment lengths its objects record), version 1 also lacks {@code hasKey}.
 *
 * <p>Used bytes, reference counts and the other indexes are derived on restore.
 */
final class StateCodec {
  private static final String MAGIC_V1 = "deoss state v1";
  private static final String MAGIC_V2 = "deoss state v2";
  private static final String MAGIC_V3 = "deoss state v3";
  private static final String MAGIC_V4 = "deoss state v4";
  private static final String[] MAGIC = {null, MAGIC_V1, MAGIC_V2, MAGIC_V3, MAGIC_V4};

  private StateCodec() {}

  /**
   * Fragment id to length over every object (for reading the challenges of a v1 or v2 snapshot).
   */
  private static Map<Hash256, Integer> fragmentLengths(LedgerState s) {
    Map<Hash256, Integer> out = new HashMap<>();
    for (AccountState a : s.accounts.values()) {
      for (BucketState b : a.buckets.values()) {
        for (ObjectRecord o : b.objects.values()) {
          for (SegmentRef seg : o.manifest().segments()) {
            for (FragmentRef f : seg.fragments()) {
              out.put(f.hash(), f.length());
            }
          }
        }
      }
    }
    return out;
  }

  static byte[] encode(LedgerState s) {
    return encode(s, 4);
  }

  /**
   * The snapshot in format {@code version}: 4, or 3, 2 or 1 (for tests of reading old snapshots;
   * they drop the reward pool and the miners' rewards and penalties; version 1 only when no account
   * has announced a key).
   */
  static byte[] encode(LedgerState s, int version) {
    if (version < 1 || version > 4) {
      throw new IllegalArgumentException("snapshot version must be 1 to 4, got " + version);
    }
    ByteWriter w = new ByteWriter(1 << 16);
    w.string(MAGIC[version])
        .hash(s.genesisHash)
        .varint(s.height)
        .hash(s.headHash)
        .fixed64(s.headTime);
    w.varint(s.nextVersion).varint(s.nextChallengeId).varint(s.nextRepairId);
    if (version >= 4) {
      w.varint(s.rewardPool);
    }
    w.varint(s.recent.size());
    for (BlockHeader h : s.recent) {
      h.write(w);
    }
    w.varint(s.accounts.size());
    for (Map.Entry<AccountId, AccountState> e : s.accounts.entrySet()) {
      AccountState a = e.getValue();
      w.account(e.getKey()).varint(a.balance).varint(a.nonce);
      w.fixed64(a.faucetWindowStart).varint(a.faucetClaims);
      w.varint(a.purchasedGib).fixed64(a.spaceStart).fixed64(a.deadline);
      w.varint(a.operators.size());
      a.operators.forEach(w::account);
      if (version >= 2) {
        w.bool(a.encryptionKey != null);
        if (a.encryptionKey != null) {
          w.raw(a.encryptionKey);
        }
      } else if (a.encryptionKey != null) {
        throw new IllegalStateException(
            "a version 1 snapshot cannot hold " + e.getKey() + "'s key");
      }
      w.varint(a.buckets.size());
      for (Map.Entry<String, BucketState> be : a.buckets.entrySet()) {
        w.string(be.getKey()).fixed64(be.getValue().createdMillis);
        w.varint(be.getValue().objects.size());
        for (Map.Entry<String, ObjectRecord> oe : be.getValue().objects.entrySet()) {
          w.string(oe.getKey());
          LedgerCodec.writeRecord(w, oe.getValue());
        }
      }
    }
    w.varint(s.miners.size());
    for (MinerState m : s.miners.values()) {
      w.account(m.id).string(m.endpoint).varint(m.capacity).varint(m.stake).string(m.zone);
      w.u8(m.status.ordinal()).fixed64(m.registered).fixed64(m.lastHeartbeat);
      w.varint(m.reportedUsed).varint(m.faults).varint(m.proofs);
      if (version >= 4) {
        w.varint(m.rewards).varint(m.penalties).bool(m.auditDue);
      }
      w.bool(m.repairCursor != null);
      if (m.repairCursor != null) {
        w.raw(m.repairCursor.objectId().toBytes());
        w.varint(m.repairCursor.segment()).varint(m.repairCursor.fragment());
      }
    }
    w.varint(s.challenges.size());
    for (Challenge c : s.challenges.values()) {
      w.varint(c.id()).account(c.miner()).varint(c.fragments().size());
      for (int i = 0; i < c.fragments().size(); i++) {
        w.hash(c.fragments().get(i)).varint(c.leafIndices().get(i));
        if (version >= 3) {
          w.varint(c.leafCounts().get(i));
        }
      }
      w.varint(c.issuedHeight()).varint(c.deadlineHeight());
    }
    w.varint(s.repairs.size());
    for (RepairOrder r : s.repairs.values()) {
      w.varint(r.id()).raw(r.objectId().toBytes()).varint(r.segment()).varint(r.fragment());
      w.hash(r.fragmentHash()).account(r.fromMiner()).varint(r.createdHeight());
    }
    return w.toByteArray();
  }

  static LedgerState decode(Genesis genesis, byte[] snapshot) {
    LedgerState s = new LedgerState(genesis);
    ByteReader r = new ByteReader(snapshot);
    String label = r.string("state.label", 32);
    int version = 0;
    for (int v = 1; v < MAGIC.length; v++) {
      version = label.equals(MAGIC[v]) ? v : version;
    }
    if (version == 0) {
      throw r.invalid(
          "state.label",
          "expected '"
              + MAGIC_V4
              + "', '"
              + MAGIC_V3
              + "', '"
              + MAGIC_V2
              + "' or '"
              + MAGIC_V1
              + "', got '"
              + label
              + "'");
    }
    boolean v2 = version >= 2;
    Hash256 gh = r.hash("state.genesisHash");
    if (!gh.equals(s.genesisHash)) {
      throw r.invalid(
          "state.genesisHash", "snapshot of genesis " + gh + ", expected " + s.genesisHash);
    }
    s.height = r.varint("state.height");
    s.headHash = r.hash("state.head");
    s.headTime = r.fixed64("state.headTime");
    s.nextVersion = r.varint("state.nextVersion");
    s.nextChallengeId = r.varint("state.nextChallenge");
    s.nextRepairId = r.varint("state.nextRepair");
    if (version >= 4) {
      s.rewardPool = r.varint("state.rewardPool");
    }
    int nRecent = r.count("state.recent", genesis.recentBlocks());
    for (int i = 0; i < nRecent; i++) {
      s.recent.addLast(BlockHeader.read(r));
    }
    int nAccounts = r.count("state.accounts", Integer.MAX_VALUE);
    AccountId prevAccount = null;
    for (int i = 0; i < nAccounts; i++) {
      AccountId id = r.account("account.id");
      if (prevAccount != null && prevAccount.compareTo(id) >= 0) {
        throw r.invalid("account.id", "accounts out of order");
      }
      prevAccount = id;
      AccountState a = new AccountState();
      a.balance = r.varint("account.balance");
      a.nonce = r.varint("account.nonce");
      a.faucetWindowStart = r.fixed64("account.faucetStart");
      a.faucetClaims = r.varint32("account.faucetClaims", 0, Integer.MAX_VALUE);
      a.purchasedGib = r.varint("account.gib");
      a.spaceStart = r.fixed64("account.spaceStart");
      a.deadline = r.fixed64("account.deadline");
      int nOps = r.count("account.operators", genesis.maxAuthorizations());
      for (int j = 0; j < nOps; j++) {
        a.operators.add(r.account("account.operator"));
      }
      if (v2 && r.bool("account.hasKey")) {
        a.encryptionKey = r.raw("account.x25519", Call.AnnounceKey.KEY_LENGTH);
      }
      int nBuckets = r.count("account.buckets", genesis.maxBuckets());
      for (int j = 0; j < nBuckets; j++) {
        String name = r.string("bucket.name", LedgerCodec.MAX_NAME);
        BucketState b = new BucketState(r.fixed64("bucket.created"));
        a.buckets.put(name, b);
        int nObj = r.count("bucket.objects", Integer.MAX_VALUE);
        for (int k = 0; k < nObj; k++) {
          String key = r.string("object.key", LedgerCodec.MAX_KEY);
          ObjectRecord o = LedgerCodec.readRecord(r, id, name, key);
          b.objects.put(key, o);
          a.usedBytes += o.size();
          s.index(o);
        }
      }
      if (a.hasSpace()) {
        s.expiryQueue.add(new LedgerState.Expiry(s.purgeAt(a), id));
      }
      s.accounts.put(id, a);
    }
    int nMiners = r.count("state.miners", Integer.MAX_VALUE);
    for (int i = 0; i < nMiners; i++) {
      MinerState m = new MinerState(r.account("miner.id"));
      m.endpoint = r.string("miner.endpoint", LedgerState.MAX_ENDPOINT_BYTES);
      m.capacity = r.varint("miner.capacity");
      m.stake = r.varint("miner.stake");
      m.zone = r.string("miner.zone", LedgerState.MAX_ZONE_BYTES);
      int st = r.u8("miner.status");
      if (st >= MinerStatus.values().length) {
        throw r.invalid("miner.status", "unknown status " + st);
      }
      m.status = MinerStatus.values()[st];
      m.registered = r.fixed64("miner.registered");
      m.lastHeartbeat = r.fixed64("miner.heartbeat");
      m.reportedUsed = r.varint("miner.reportedUsed");
      m.faults = r.varint32("miner.faults", 0, Integer.MAX_VALUE);
      m.proofs = r.varint("miner.proofs");
      if (version >= 4) {
        m.rewards = r.varint("miner.rewards");
        m.penalties = r.varint("miner.penalties");
        m.auditDue = r.bool("miner.auditDue");
      }
      if (r.bool("miner.hasCursor")) {
        m.repairCursor =
            new Slot(
                ObjectId.of(r.raw("miner.cursor.objectId", ObjectId.LENGTH)),
                r.varint32("miner.cursor.segment", 0, Integer.MAX_VALUE),
                r.varint32("miner.cursor.fragment", 0, 254));
      }
      s.miners.put(m.id, m);
    }
    Map<Hash256, Integer> lengths = null;
    int nCh = r.count("state.challenges", Integer.MAX_VALUE);
    for (int i = 0; i < nCh; i++) {
      long id = r.varint("challenge.id");
      AccountId miner = r.account("challenge.miner");
      int n = r.count("challenge.fragments", 1 << 16);
      List<Hash256> hashes = new ArrayList<>(n);
      List<Integer> leaves = new ArrayList<>(n);
      List<Integer> leafCounts = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        Hash256 h = r.hash("challenge.fragment");
        hashes.add(h);
        leaves.add(r.varint32("challenge.leaf", 0, Integer.MAX_VALUE));
        if (version < 3) {
          if (lengths == null) {
            lengths = fragmentLengths(s);
          }
          Integer len = lengths.get(h);
          if (len == null) {
            throw r.invalid("challenge.fragment", "fragment " + h + " is in no object");
          }
          leafCounts.add(FragmentMerkle.leafCount(len));
        } else {
          leafCounts.add(r.varint32("challenge.leafCount", 1, Integer.MAX_VALUE));
        }
      }
      s.challenges.put(
          id,
          new Challenge(
              id,
              miner,
              hashes,
              leaves,
              leafCounts,
              r.varint("challenge.issued"),
              r.varint("challenge.deadline")));
    }
    int nRep = r.count("state.repairs", Integer.MAX_VALUE);
    for (int i = 0; i < nRep; i++) {
      RepairOrder o =
          new RepairOrder(
              r.varint("repair.id"),
              ObjectId.of(r.raw("repair.objectId", ObjectId.LENGTH)),
              r.varint32("repair.segment", 0, Integer.MAX_VALUE),
              r.varint32("repair.fragment", 0, 254),
              r.hash("repair.hash"),
              r.account("repair.from"),
              r.varint("repair.created"));
      s.repairs.put(o.id(), o);
      s.repairBySlot.put(new Slot(o.objectId(), o.segment(), o.fragment()), o.id());
    }
    r.expectEnd("state snapshot");
    return s;
  }
}
