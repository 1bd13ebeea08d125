package org.deoss.core.repair;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.deoss.core.account.AccountId;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.MinerInfo;
import org.deoss.core.ledger.MinerStatus;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.RepairOrder;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.SegmentRef;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.LedgerUnavailableException;
import org.deoss.core.port.TxBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over the ledger's open repair orders: groups them by segment, repairs each segment this
 * account may repair (its own objects, and those of accounts that authorized it) and records each
 * with one {@link org.deoss.core.ledger.Call.RepairSegment} transaction.
 *
 * <p><b>Resuming.</b> The orders live on the ledger until a repair is recorded, so a pass needs no
 * local state: a repairer killed half-way leaves its orders open and the next pass (of this process
 * after a restart, or of another) does them again. Fragments it had already put on new miners are
 * unreferenced and the miners' collection removes them.
 *
 * <p>Not thread-safe: one pass at a time.
 */
public final class RepairRound {
  private static final Logger LOG = LoggerFactory.getLogger(RepairRound.class);

  private final LedgerClient ledger;
  private final TxBuilder tx;
  private final AccountId self;
  private final SegmentRepairer repairer;
  private final int maxOrders;
  private final RepairThreshold threshold;
  private long after;

  /** A pass with the default threshold {@link RepairThreshold#DEFAULT} (k+2). */
  public RepairRound(
      LedgerClient ledger, TxBuilder tx, AccountId self, SegmentRepairer repairer, int maxOrders) {
    this(ledger, tx, self, repairer, maxOrders, RepairThreshold.DEFAULT);
  }

  /**
   * @param tx signs as {@code self}
   * @param maxOrders most orders read per pass (a page of the ledger's queue; the next pass reads
   *     the next page, and after the last page starts again at the first)
   * @param threshold a segment whose orders are all for OFFLINE miners (which may come back) is
   *     repaired when its fragments on ACTIVE miners fall to this many or fewer, and then all its
   *     orders are done; until then it waits. Orders of FROZEN, EXITING or unregistered miners
   *     never wait ({@link RepairThreshold}).
   */
  public RepairRound(
      LedgerClient ledger,
      TxBuilder tx,
      AccountId self,
      SegmentRepairer repairer,
      int maxOrders,
      RepairThreshold threshold) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.self = Objects.requireNonNull(self, "self");
    this.repairer = Objects.requireNonNull(repairer, "repairer");
    if (maxOrders < 1) {
      throw new IllegalArgumentException("maxOrders must be at least 1, got " + maxOrders);
    }
    this.maxOrders = maxOrders;
    this.threshold = Objects.requireNonNull(threshold, "threshold");
  }

  /** What a pass did. */
  public record Report(
      int orders,
      int segments,
      int fragments,
      int rebuilt,
      long bytesMoved,
      int skipped,
      int deferred,
      int failed) {
    /** Whether the pass found nothing it could do. */
    public boolean idle() {
      return segments == 0 && failed == 0;
    }
  }

  /** Key of a segment: object and index. */
  private record SegmentKey(ObjectId object, int segment) implements Comparable<SegmentKey> {
    @Override
    public int compareTo(SegmentKey o) {
      int c = object.compareTo(o.object);
      return c != 0 ? c : Integer.compare(segment, o.segment);
    }
  }

  /**
   * Runs one pass.
   *
   * @throws LedgerUnavailableException if the ledger cannot be reached (the pass stops; nothing is
   *     lost, the orders stay open)
   * @throws InterruptedException if interrupted
   */
  public Report run() throws InterruptedException {
    List<RepairOrder> orders = ledger.repairOrders(after, maxOrders);
    after = orders.size() < maxOrders ? 0 : orders.get(orders.size() - 1).id();
    Map<SegmentKey, List<RepairOrder>> bySegment = new TreeMap<>();
    for (RepairOrder o : orders) {
      bySegment
          .computeIfAbsent(new SegmentKey(o.objectId(), o.segment()), s -> new ArrayList<>())
          .add(o);
    }
    int segments = 0;
    int fragments = 0;
    int rebuilt = 0;
    long bytes = 0;
    int skipped = 0;
    int deferred = 0;
    int failed = 0;
    Map<AccountId, MinerStatus> status = new HashMap<>();
    if (threshold.kind() != RepairThreshold.Kind.ALL && !orders.isEmpty()) {
      for (MinerInfo m : ledger.miners()) {
        status.put(m.id(), m.status());
      }
    }
    for (Map.Entry<SegmentKey, List<RepairOrder>> e : bySegment.entrySet()) {
      List<RepairOrder> group = e.getValue();
      Optional<ObjectRecord> record = ledger.objectById(e.getKey().object());
      if (record.isEmpty() || !mayRepair(record.get().owner())) {
        skipped += group.size();
        continue;
      }
      List<RepairOrder> current = stillCurrent(record.get(), group);
      if (current.isEmpty()) {
        skipped += group.size();
        continue;
      }
      if (threshold.kind() != RepairThreshold.Kind.ALL && mayWait(record.get(), current, status)) {
        deferred += current.size();
        continue;
      }
      try {
        SegmentRepairer.Outcome out = repairer.repair(record.get(), current);
        tx.submitAndWait(out.call());
        segments++;
        fragments += current.size();
        rebuilt += out.rebuilt();
        bytes += out.bytesMoved();
        LOG.info(
            "repaired segment {} of object {} ({}/{}/{}): {} fragments, {} copied, {} rebuilt",
            e.getKey().segment(),
            e.getKey().object().toHex(),
            record.get().owner(),
            record.get().bucket(),
            record.get().key(),
            current.size(),
            out.copied(),
            out.rebuilt());
      } catch (RepairException | LedgerRejection ex) {
        failed++;
        LOG.warn(
            "repair of segment {} of object {} failed: {}",
            e.getKey().segment(),
            e.getKey().object().toHex(),
            ex.getMessage());
      }
    }
    return new Report(
        orders.size(), segments, fragments, rebuilt, bytes, skipped, deferred, failed);
  }

  /**
   * Whether all orders are for OFFLINE miners (or ones that came back, on a ledger whose rules do
   * not withdraw their orders) and more fragments than the threshold are on ACTIVE ones.
   */
  private boolean mayWait(
      ObjectRecord o, List<RepairOrder> group, Map<AccountId, MinerStatus> status) {
    for (RepairOrder r : group) {
      MinerStatus st = status.get(r.fromMiner());
      if (st != MinerStatus.OFFLINE && st != MinerStatus.ACTIVE) {
        return false; // frozen, exiting or gone: never wait
      }
    }
    int healthy = 0;
    List<FragmentRef> frags = o.manifest().segments().get(group.get(0).segment()).fragments();
    for (FragmentRef f : frags) {
      healthy += status.get(f.miner()) == MinerStatus.ACTIVE ? 1 : 0;
    }
    return healthy > threshold.at(o.manifest().dataShards(), frags.size());
  }

  private boolean mayRepair(AccountId owner) {
    return owner.equals(self) || ledger.authorizations(owner).contains(self);
  }

  /** The orders whose fragment the object still has (a new version may have replaced it). */
  private static List<RepairOrder> stillCurrent(ObjectRecord o, List<RepairOrder> group) {
    List<RepairOrder> out = new ArrayList<>();
    List<SegmentRef> segs = o.manifest().segments();
    for (RepairOrder r : group) {
      if (r.segment() < segs.size()
          && r.fragment() < segs.get(r.segment()).fragments().size()
          && segs.get(r.segment()).fragments().get(r.fragment()).hash().equals(r.fragmentHash())) {
        out.add(r);
      }
    }
    return out;
  }
}
