package org.deoss.core.ledger;

/**
 * A storage miner's state.
 *
 * <pre>
 *   RegisterMiner --> ACTIVE <--Heartbeat-- OFFLINE
 *                       |  \--no heartbeat-->  |
 *                       |                      |
 *                 faults >= threshold ---------+--> FROZEN
 *   ACTIVE/OFFLINE/FROZEN --ExitMiner--> EXITING --all fragments repaired--> (removed, stake back)
 * </pre>
 *
 * Only ACTIVE miners may receive new fragments. The fragments of FROZEN, OFFLINE and EXITING miners
 * get repair orders; under rules version 2 a heartbeat that brings an OFFLINE miner back withdraws
 * its open orders. Each missed challenge takes a penalty from the stake, so "stake back" is what is
 * left of it.
 */
public enum MinerStatus {
  ACTIVE,
  FROZEN,
  EXITING,
  OFFLINE
}
