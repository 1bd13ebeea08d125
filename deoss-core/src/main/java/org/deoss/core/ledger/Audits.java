package org.deoss.core.ledger;

import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_PROOF;
import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_REPAIR;
import static org.deoss.core.ledger.LedgerRejection.Reason.MINER_NOT_ACTIVE;
import static org.deoss.core.ledger.LedgerRejection.Reason.NOT_AUTHORIZED;
import static org.deoss.core.ledger.LedgerRejection.Reason.NO_SUCH_CHALLENGE;
import static org.deoss.core.ledger.LedgerRejection.Reason.NO_SUCH_REPAIR_ORDER;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.SegmentRef;

/**
 * Audits and repair, a part of {@link LedgerState}: challenges derived from block hashes, proofs,
 * faults that freeze a miner, repair orders for the fragments of frozen, offline and exiting
 * miners, and their completion. Works on the state's fields; same thread rules.
 */
final class Audits {
  private final LedgerState st;

  Audits(LedgerState st) {
    this.st = st;
  }

  void expireChallenges() {
    Iterator<Challenge> it = st.challenges.values().iterator();
    while (it.hasNext()) {
      Challenge ch = it.next();
      if (ch.deadlineHeight() < st.curHeight) {
        it.remove();
        MinerState m = st.miners.get(ch.miner());
        // A fragment whose object went away meanwhile may have been collected: no fault for that.
        if (m != null && ch.fragments().stream().allMatch(st::isReferenced)) {
          m.faults++;
          long penalty = Math.min(st.genesis.faultPenalty(), m.stake);
          m.stake -= penalty;
          m.penalties += penalty;
          st.rewardPool = LedgerState.saturatingAdd(st.rewardPool, penalty);
          if (m.faults >= st.genesis.faultThreshold()
              && (m.status == MinerStatus.ACTIVE || m.status == MinerStatus.OFFLINE)) {
            m.status = MinerStatus.FROZEN;
            m.repairCursor = null;
          }
        }
      }
    }
  }

  void issueChallenges(Hash256 blockHash) {
    int every = st.genesis.challengeEveryBlocks();
    if (every == 0 || st.curHeight % every != 0) {
      return;
    }
    List<AccountId> candidates = new ArrayList<>();
    List<AccountId> due = new ArrayList<>();
    for (MinerState m : st.miners.values()) {
      if (m.status == MinerStatus.ACTIVE
          && st.minerSlots.containsKey(m.id)
          && st.challenges.values().stream().noneMatch(ch -> ch.miner().equals(m.id))) {
        (m.auditDue ? due : candidates).add(m.id);
      }
      m.auditDue = false;
    }
    SeededStream rnd = new SeededStream(blockHash);
    for (AccountId miner : due) {
      challenge(miner, rnd);
    }
    for (int n = 0; n < st.genesis.challengeMiners() && !candidates.isEmpty(); n++) {
      challenge(candidates.remove(rnd.nextIndex(candidates.size())), rnd);
    }
  }

  /** Opens one challenge on {@code miner}, sampled from {@code rnd}. */
  private void challenge(AccountId miner, SeededStream rnd) {
    {
      TreeSet<Slot> slots = st.minerSlots.get(miner);
      TreeMap<Hash256, Integer> picked = new TreeMap<>();
      List<Hash256> hashes = new ArrayList<>();
      List<Integer> leaves = new ArrayList<>();
      List<Integer> leafCounts = new ArrayList<>();
      int want = Math.min(st.genesis.challengeFragments(), slots.size());
      for (int attempt = 0; hashes.size() < want && attempt < 4 * want; attempt++) {
        Slot probe = new Slot(ObjectId.of(rnd.nextBytes(ObjectId.LENGTH)), 0, 0);
        Slot slot = slots.ceiling(probe);
        if (slot == null) {
          slot = slots.first();
        }
        FragmentRef f = fragmentAt(slot);
        if (picked.containsKey(f.hash())) {
          continue;
        }
        int leafCount = FragmentMerkle.leafCount(f.length());
        picked.put(f.hash(), 1);
        hashes.add(f.hash());
        leaves.add(rnd.nextIndex(leafCount));
        leafCounts.add(leafCount);
      }
      long id = st.nextChallengeId++;
      st.challenges.put(
          id,
          new Challenge(
              id,
              miner,
              hashes,
              leaves,
              leafCounts,
              st.curHeight,
              st.curHeight + st.genesis.challengeWindowBlocks()));
    }
  }

  FragmentRef fragmentAt(Slot slot) {
    LedgerState.Location loc = st.objectIndex.get(slot.objectId());
    ObjectRecord o = st.accounts.get(loc.owner()).buckets.get(loc.bucket()).objects.get(loc.key());
    return o.manifest().segments().get(slot.segment()).fragments().get(slot.fragment());
  }

  void submitProof(AccountId s, Call.SubmitProof c) {
    Challenge ch = st.challenges.get(c.challengeId());
    if (ch == null) {
      throw LedgerRejection.of(
          NO_SUCH_CHALLENGE, "no open challenge " + c.challengeId() + " (answered or expired)");
    }
    if (!ch.miner().equals(s)) {
      throw LedgerRejection.of(
          NOT_AUTHORIZED, "challenge " + ch.id() + " is for miner " + ch.miner() + ", not " + s);
    }
    if (!st.genesis.proofVerifier().verify(ch, c.proof())) {
      throw LedgerRejection.of(BAD_PROOF, "proof for challenge " + ch.id() + " by " + s + " fails");
    }
    st.challenges.remove(ch.id());
    MinerState m = st.miners.get(s);
    if (m != null) {
      m.proofs++;
      long reward = Math.min(st.genesis.proofReward(), st.rewardPool);
      st.rewardPool -= reward;
      AccountState a = st.accountFor(s);
      a.balance = LedgerState.saturatingAdd(a.balance, reward);
      m.rewards += reward;
    }
  }

  void issueRepairOrders() {
    int budget = st.genesis.repairOrdersPerBlock();
    int scanBudget = budget * 8;
    for (MinerState m : st.miners.values()) {
      if (budget == 0 || scanBudget == 0) {
        return;
      }
      if (m.status == MinerStatus.ACTIVE) {
        continue;
      }
      TreeSet<Slot> slots = st.minerSlots.get(m.id);
      if (slots == null) {
        continue;
      }
      Iterator<Slot> it =
          (m.repairCursor == null ? slots : slots.tailSet(m.repairCursor, false)).iterator();
      while (it.hasNext() && budget > 0 && scanBudget > 0) {
        Slot slot = it.next();
        scanBudget--;
        m.repairCursor = slot;
        if (st.repairBySlot.containsKey(slot)) {
          continue;
        }
        FragmentRef f = fragmentAt(slot);
        long id = st.nextRepairId++;
        st.repairs.put(
            id,
            new RepairOrder(
                id,
                slot.objectId(),
                slot.segment(),
                slot.fragment(),
                f.hash(),
                m.id,
                st.curHeight));
        st.repairBySlot.put(slot, id);
        budget--;
      }
    }
  }

  void completeRepair(AccountId s, Call.CompleteRepair c) {
    RepairOrder order = st.repairs.get(c.orderId());
    if (order == null) {
      throw LedgerRejection.of(NO_SUCH_REPAIR_ORDER, "no repair order " + c.orderId());
    }
    FragmentRef p = c.placement();
    if (!p.miner().equals(s)) {
      throw LedgerRejection.of(
          NOT_AUTHORIZED,
          "repair order " + order.id() + " names miner " + p.miner() + ", signed by " + s);
    }
    MinerState m = st.requireMiner(s);
    if (m.status != MinerStatus.ACTIVE) {
      throw LedgerRejection.of(MINER_NOT_ACTIVE, "miner " + s + " is " + m.status);
    }
    Slot slot = new Slot(order.objectId(), order.segment(), order.fragment());
    FragmentRef current = fragmentAt(slot);
    if (p.index() != current.index()
        || !p.hash().equals(current.hash())
        || p.length() != current.length()) {
      throw LedgerRejection.of(
          BAD_REPAIR,
          "repair of order "
              + order.id()
              + " must keep fragment "
              + current.index()
              + " hash "
              + current.hash()
              + " length "
              + current.length());
    }
    if (p.miner().equals(current.miner())) {
      throw LedgerRejection.of(BAD_REPAIR, "the fragment is already on " + p.miner());
    }
    move(order, p.miner());
  }

  /**
   * Completes the orders of one segment at once; every order is checked before anything changes.
   */
  void repairSegment(AccountId s, Call.RepairSegment c) {
    if (c.orderIds().isEmpty()) {
      throw LedgerRejection.of(BAD_REPAIR, "a segment repair needs at least one order");
    }
    RepairOrder first = null;
    TreeSet<Long> seen = new TreeSet<>();
    for (int i = 0; i < c.orderIds().size(); i++) {
      long id = c.orderIds().get(i);
      RepairOrder order = st.repairs.get(id);
      if (order == null) {
        throw LedgerRejection.of(NO_SUCH_REPAIR_ORDER, "no repair order " + id);
      }
      if (!seen.add(id)) {
        throw LedgerRejection.of(BAD_REPAIR, "repair order " + id + " is listed twice");
      }
      if (first == null) {
        first = order;
        LedgerState.Location loc = st.objectIndex.get(order.objectId());
        st.requireMutator(s, loc.owner());
      } else if (!order.objectId().equals(first.objectId()) || order.segment() != first.segment()) {
        throw LedgerRejection.of(
            BAD_REPAIR,
            "repair orders "
                + first.id()
                + " and "
                + id
                + " are for different segments; one transaction repairs one segment");
      }
      AccountId to = c.miners().get(i);
      MinerState m = st.miners.get(to);
      if (m == null || m.status != MinerStatus.ACTIVE) {
        throw LedgerRejection.of(
            MINER_NOT_ACTIVE,
            "miner " + to + " is " + (m == null ? "not registered" : m.status.toString()));
      }
      FragmentRef current =
          fragmentAt(new Slot(order.objectId(), order.segment(), order.fragment()));
      if (to.equals(current.miner())) {
        throw LedgerRejection.of(
            BAD_REPAIR, "fragment " + current.index() + " is already on " + to);
      }
    }
    for (int i = 0; i < c.orderIds().size(); i++) {
      move(st.repairs.get(c.orderIds().get(i)), c.miners().get(i));
    }
  }

  /** Points the order's fragment at {@code to} and retires the order. */
  private void move(RepairOrder order, AccountId to) {
    Slot slot = new Slot(order.objectId(), order.segment(), order.fragment());
    FragmentRef current = fragmentAt(slot);
    FragmentRef p = current.movedTo(to);
    LedgerState.Location loc = st.objectIndex.get(order.objectId());
    ObjectRecord o = st.accounts.get(loc.owner()).buckets.get(loc.bucket()).objects.get(loc.key());
    SegmentRef seg = o.manifest().segments().get(order.segment());
    List<FragmentRef> frags = new ArrayList<>(seg.fragments());
    frags.set(order.fragment(), p);
    SegmentRef newSeg =
        new SegmentRef(seg.index(), seg.plainLength(), seg.encryptedLength(), seg.hash(), frags);
    st.replaceRecord(o, o.withManifest(o.manifest().withSegment(newSeg, o.manifest().fid())));
    TreeSet<Slot> old = st.minerSlots.get(current.miner());
    old.remove(slot);
    if (old.isEmpty()) {
      st.minerSlots.remove(current.miner());
    }
    st.minerSlots.computeIfAbsent(p.miner(), k -> new TreeSet<>()).add(slot);
    st.repairs.remove(order.id());
    st.repairBySlot.remove(slot);
  }

  /** A deterministic stream of bytes from a seed: SHA-256(label || seed || counter). */
  private static final class SeededStream {
    private final Hash256 seed;
    private long counter;

    SeededStream(Hash256 seed) {
      this.seed = seed;
    }

    byte[] nextBytes(int n) {
      byte[] out = new byte[n];
      int filled = 0;
      while (filled < n) {
        var md = Hash256.newDigest();
        md.update("deoss audit".getBytes(StandardCharsets.UTF_8));
        seed.updateDigest(md);
        long c = counter++;
        for (int i = 7; i >= 0; i--) {
          md.update((byte) (c >>> (8 * i)));
        }
        byte[] d = md.digest();
        int take = Math.min(d.length, n - filled);
        System.arraycopy(d, 0, out, filled, take);
        filled += take;
      }
      return out;
    }

    int nextIndex(int bound) {
      byte[] b = nextBytes(8);
      long v = 0;
      for (byte x : b) {
        v = (v << 8) | (x & 0xFF);
      }
      return (int) Long.remainderUnsigned(v, bound);
    }
  }
}
