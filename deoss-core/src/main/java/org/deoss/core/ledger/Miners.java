package org.deoss.core.ledger;

import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_ARGUMENT;
import static org.deoss.core.ledger.LedgerRejection.Reason.INSUFFICIENT_STAKE;
import static org.deoss.core.ledger.LedgerRejection.Reason.MINER_EXISTS;
import static org.deoss.core.ledger.LedgerRejection.Reason.MINER_NOT_ACTIVE;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.TreeSet;
import org.deoss.core.account.AccountId;

/**
 * Storage miners, a part of {@link LedgerState}: registration with a stake locked from the balance,
 * updates, heartbeats, offline detection at block boundaries, and exit (the stake returns once
 * every fragment was repaired elsewhere). Works on the state's fields; same thread rules.
 */
final class Miners {
  private final LedgerState st;

  Miners(LedgerState st) {
    this.st = st;
  }

  private void checkMinerFields(String endpoint, long capacity, String zone) {
    int eb = endpoint.getBytes(StandardCharsets.UTF_8).length;
    if (eb == 0 || eb > LedgerState.MAX_ENDPOINT_BYTES) {
      throw LedgerRejection.of(
          BAD_ARGUMENT,
          "miner endpoint must be 1.."
              + LedgerState.MAX_ENDPOINT_BYTES
              + " bytes: '"
              + endpoint
              + "'");
    }
    if (zone.getBytes(StandardCharsets.UTF_8).length > LedgerState.MAX_ZONE_BYTES) {
      throw LedgerRejection.of(
          BAD_ARGUMENT, "miner zone longer than " + LedgerState.MAX_ZONE_BYTES + " bytes");
    }
    if (capacity <= 0) {
      throw LedgerRejection.of(BAD_ARGUMENT, "miner capacity must be positive, got " + capacity);
    }
  }

  private long requiredStake(long capacity) {
    long tib = (capacity + LedgerState.TIB - 1) / LedgerState.TIB;
    return LedgerState.times(tib, st.genesis.minStakePerTib(), 1, "required stake");
  }

  void registerMiner(AccountId s, Call.RegisterMiner c) {
    if (st.miners.containsKey(s)) {
      throw LedgerRejection.of(MINER_EXISTS, "account " + s + " is already a miner");
    }
    checkMinerFields(c.endpoint(), c.capacityBytes(), c.zone());
    long need = requiredStake(c.capacityBytes());
    if (c.stake() < need) {
      throw LedgerRejection.of(
          INSUFFICIENT_STAKE,
          "miner "
              + s
              + " declares "
              + c.capacityBytes()
              + " bytes and needs a stake of "
              + need
              + ", offers "
              + c.stake());
    }
    st.requireBalance(s, c.stake(), "the miner stake");
    st.accountFor(s).balance -= c.stake();
    MinerState m = new MinerState(s);
    m.endpoint = c.endpoint();
    m.capacity = c.capacityBytes();
    m.stake = c.stake();
    m.zone = c.zone();
    m.registered = st.now;
    m.lastHeartbeat = st.now;
    st.miners.put(s, m);
  }

  void updateMiner(AccountId s, Call.UpdateMiner c) {
    MinerState m = st.requireMiner(s);
    if (m.status == MinerStatus.EXITING) {
      throw LedgerRejection.of(MINER_NOT_ACTIVE, "miner " + s + " is exiting");
    }
    checkMinerFields(c.endpoint(), c.capacityBytes(), c.zone());
    if (c.addStake() < 0 || m.stake > Long.MAX_VALUE - c.addStake()) {
      throw LedgerRejection.of(BAD_ARGUMENT, "bad added stake " + c.addStake());
    }
    long need = requiredStake(c.capacityBytes());
    if (m.stake + c.addStake() < need) {
      throw LedgerRejection.of(
          INSUFFICIENT_STAKE,
          "miner " + s + " would need a stake of " + need + ", has " + (m.stake + c.addStake()));
    }
    st.requireBalance(s, c.addStake(), "the added stake");
    st.accountFor(s).balance -= c.addStake();
    m.stake += c.addStake();
    m.endpoint = c.endpoint();
    m.capacity = c.capacityBytes();
    m.zone = c.zone();
  }

  void heartbeat(AccountId s, Call.Heartbeat c) {
    MinerState m = st.requireMiner(s);
    if (c.usedBytes() < 0) {
      throw LedgerRejection.of(BAD_ARGUMENT, "used bytes must not be negative");
    }
    m.lastHeartbeat = st.now;
    m.reportedUsed = c.usedBytes();
    if (m.status == MinerStatus.OFFLINE) {
      m.status = MinerStatus.ACTIVE;
      m.repairCursor = null;
      if (st.genesis.rulesVersion() >= 2) {
        withdrawRepairOrders(m);
        m.auditDue = st.genesis.challengeEveryBlocks() > 0;
      }
    }
  }

  /**
   * Withdraws the open repair orders of the fragments the ledger still places on {@code m}: it is
   * back, and its fragments are trusted until an audit says otherwise (the next audit round
   * challenges it; missed challenges freeze it and order the repairs again).
   */
  private void withdrawRepairOrders(MinerState m) {
    TreeSet<Slot> slots = st.minerSlots.get(m.id);
    if (slots == null) {
      return;
    }
    for (Slot slot : slots) {
      Long id = st.repairBySlot.remove(slot);
      if (id != null) {
        st.repairs.remove(id);
      }
    }
  }

  void exitMiner(AccountId s) {
    MinerState m = st.requireMiner(s);
    if (m.status == MinerStatus.EXITING) {
      throw LedgerRejection.of(MINER_NOT_ACTIVE, "miner " + s + " is already exiting");
    }
    m.status = MinerStatus.EXITING;
    m.repairCursor = null;
  }

  void detectOffline() {
    for (MinerState m : st.miners.values()) {
      if (m.status == MinerStatus.ACTIVE
          && st.now - m.lastHeartbeat > st.genesis.offlineAfterMillis()) {
        m.status = MinerStatus.OFFLINE;
        m.repairCursor = null;
      }
    }
  }

  void finishExits() {
    Iterator<MinerState> it = st.miners.values().iterator();
    while (it.hasNext()) {
      MinerState m = it.next();
      if (m.status == MinerStatus.EXITING && !st.minerSlots.containsKey(m.id)) {
        AccountState a = st.accountFor(m.id);
        a.balance = LedgerState.saturatingAdd(a.balance, m.stake);
        st.challenges.values().removeIf(ch -> ch.miner().equals(m.id));
        it.remove();
      }
    }
  }
}
