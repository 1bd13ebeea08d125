package org.deoss.core.repair;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.deoss.core.account.AccountId;
import org.deoss.core.codec.ReedSolomon;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.RepairOrder;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.manifest.SegmentRef;
import org.deoss.core.placement.Candidate;
import org.deoss.core.placement.NoCapacityException;
import org.deoss.core.placement.Placement;
import org.deoss.core.port.MinerDirectory;

/**
 * Repairs one segment: gets the bytes of each ordered fragment, places them on other miners, and
 * returns the {@link Call.RepairSegment} that records the move.
 *
 * <h2>Getting the bytes</h2>
 *
 * First each ordered fragment is asked of the miner it is leaving: a miner that exits gracefully
 * still serves, and a copy costs one fragment of traffic where a rebuild costs k. Whatever that
 * does not give is rebuilt: healthy fragments are fetched (data fragments first, then parity) until
 * k passed their check, the Reed-Solomon code rebuilds the rest, and each rebuilt fragment must
 * have its recorded id again. Every fetched fragment is checked against its recorded length and
 * Merkle root, so a miner that returns damaged bytes is only a miss.
 *
 * <h2>Placing</h2>
 *
 * Each fragment goes to an ACTIVE miner with room (the directory's candidates), never to a miner
 * the orders move fragments away from, and to a miner holding no other fragment of the segment
 * while there is one (capacity-weighted, {@link Placement#replacement}). A miner that refuses the
 * fragment is excluded and another is chosen, up to {@value #PUT_ATTEMPTS} times.
 *
 * <p>Every byte fetched or sent first passes the {@link Throttle}. Not thread-safe: one segment at
 * a time per instance.
 */
public final class SegmentRepairer {
  static final int PUT_ATTEMPTS = 3;

  private final MinerDirectory miners;
  private final Placement placement;
  private final Throttle throttle;
  private final Duration timeout;

  /**
   * @param placement must be for the same code as the objects repaired (only its single-fragment
   *     choice is used, which does not depend on k and m)
   * @param timeout how long one fetch or put may take before the miner counts as failed
   */
  public SegmentRepairer(
      MinerDirectory miners, Placement placement, Throttle throttle, Duration timeout) {
    this.miners = Objects.requireNonNull(miners, "miners");
    this.placement = Objects.requireNonNull(placement, "placement");
    this.throttle = Objects.requireNonNull(throttle, "throttle");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** What one repair did. */
  public record Outcome(Call.RepairSegment call, int copied, int rebuilt, long bytesMoved) {}

  /**
   * Repairs the fragments {@code orders} name in {@code object} (all of one segment, each order's
   * fragment id equal to the object's current one).
   *
   * @throws RepairException if fewer than k healthy fragments can be had, or no miner takes one
   * @throws InterruptedException if interrupted while throttled or waiting on a miner
   */
  public Outcome repair(ObjectRecord object, List<RepairOrder> orders)
      throws RepairException, InterruptedException {
    if (orders.isEmpty()) {
      throw new IllegalArgumentException("no orders");
    }
    ObjectManifest m = object.manifest();
    int segIndex = orders.get(0).segment();
    SegmentRef seg = m.segments().get(segIndex);
    int k = m.dataShards();
    int n = seg.fragments().size();
    byte[][] shards = new byte[n][];
    Map<Integer, RepairOrder> ordered = new LinkedHashMap<>();
    for (RepairOrder o : orders) {
      if (o.segment() != segIndex || !o.objectId().equals(m.objectId())) {
        throw new IllegalArgumentException("order " + o.id() + " is for another segment");
      }
      ordered.put(o.fragment(), o);
    }
    long moved = 0;
    // 1. Copies from the miners the fragments are leaving.
    for (int i : ordered.keySet()) {
      byte[] b = fetch(seg.fragments().get(i));
      if (b != null) {
        shards[i] = b;
        moved += b.length;
      }
    }
    int copied = 0;
    for (int i : ordered.keySet()) {
      copied += shards[i] != null ? 1 : 0;
    }
    // 2. Rebuild what is still missing from k healthy fragments.
    int rebuilt = 0;
    if (copied < ordered.size()) {
      int have = 0;
      for (byte[] s : shards) {
        have += s == null ? 0 : 1;
      }
      // Ask for as many as are still needed at once; on a miss, ask the next ones.
      int next = 0;
      while (have < k && next < n) {
        List<Integer> batch = new ArrayList<>();
        while (batch.size() < k - have && next < n) {
          if (shards[next] == null && !ordered.containsKey(next)) {
            batch.add(next);
          }
          next++;
        }
        List<CompletableFuture<ByteBuffer>> futures = new ArrayList<>();
        for (int i : batch) {
          throttle.acquire(seg.fragments().get(i).length());
          futures.add(
              miners.store(seg.fragments().get(i).miner()).get(seg.fragments().get(i).hash()));
        }
        for (int j = 0; j < batch.size(); j++) {
          byte[] b = checked(seg.fragments().get(batch.get(j)), futures.get(j));
          if (b != null) {
            shards[batch.get(j)] = b;
            moved += b.length;
            have++;
          }
        }
      }
      if (have < k) {
        throw new RepairException(
            "segment "
                + segIndex
                + " of object "
                + m.objectId().toHex()
                + ": only "
                + have
                + " of the "
                + k
                + " healthy fragments needed could be fetched");
      }
      int len = seg.fragments().get(0).length();
      boolean[] present = new boolean[n];
      for (int i = 0; i < n; i++) {
        present[i] = shards[i] != null;
        if (!present[i]) {
          shards[i] = new byte[len];
        }
      }
      ReedSolomon.create(k, n - k).reconstruct(shards, present, 0, len);
      for (int i : ordered.keySet()) {
        if (present[i]) {
          continue;
        }
        FragmentRef f = seg.fragments().get(i);
        if (!FragmentMerkle.root(shards[i], 0, f.length()).equals(f.hash())) {
          throw new RepairException(
              "rebuilt fragment " + i + " of segment " + segIndex + " does not match its id");
        }
        rebuilt++;
      }
    }
    // 3. Place.
    Set<AccountId> leaving = new HashSet<>();
    Set<AccountId> holders = new HashSet<>();
    for (FragmentRef f : seg.fragments()) {
      (ordered.containsKey(f.index()) ? leaving : holders).add(f.miner());
    }
    holders.removeAll(leaving);
    Map<AccountId, Long> room = new HashMap<>();
    for (Candidate c : miners.candidates()) {
      room.merge(c.miner(), c.freeBytes(), Math::max);
    }
    List<Long> ids = new ArrayList<>();
    List<AccountId> targets = new ArrayList<>();
    Set<AccountId> failed = new HashSet<>(leaving);
    for (Map.Entry<Integer, RepairOrder> e : ordered.entrySet()) {
      FragmentRef f = seg.fragments().get(e.getKey());
      AccountId to = place(f, shards[e.getKey()], room, failed, holders);
      moved += f.length();
      holders.add(to);
      room.merge(to, -(long) f.length(), Long::sum);
      ids.add(e.getValue().id());
      targets.add(to);
    }
    return new Outcome(new Call.RepairSegment(ids, targets), copied, rebuilt, moved);
  }

  private AccountId place(
      FragmentRef f,
      byte[] bytes,
      Map<AccountId, Long> room,
      Set<AccountId> failed,
      Set<AccountId> holders)
      throws RepairException, InterruptedException {
    String last = "no attempt";
    for (int attempt = 0; attempt < PUT_ATTEMPTS; attempt++) {
      List<Candidate> cands = new ArrayList<>();
      room.forEach((id, free) -> cands.add(new Candidate(id, "", Math.max(0, free))));
      AccountId to;
      try {
        to = placement.replacement(cands, f.length(), failed, holders);
      } catch (NoCapacityException e) {
        throw new RepairException("fragment " + f.index() + ": " + e.getMessage(), e);
      }
      throttle.acquire(f.length());
      try {
        await(miners.store(to).put(f.hash(), ByteBuffer.wrap(bytes, 0, f.length())));
        return to;
      } catch (ExecutionException | TimeoutException e) {
        last = to + ": " + (e instanceof TimeoutException ? "timed out" : e.getCause());
        failed.add(to);
      }
    }
    throw new RepairException(
        "fragment " + f.index() + " found no miner to take it; last: " + last);
  }

  /** The fragment's bytes if its miner returns them whole and right, else null. */
  private byte[] fetch(FragmentRef f) throws InterruptedException {
    throttle.acquire(f.length());
    return checked(f, miners.store(f.miner()).get(f.hash()));
  }

  /** What {@code pending} gives if it is the whole fragment with its id, else null. */
  private byte[] checked(FragmentRef f, CompletableFuture<ByteBuffer> pending)
      throws InterruptedException {
    ByteBuffer b;
    try {
      b = await(pending);
    } catch (ExecutionException | TimeoutException e) {
      return null;
    }
    if (b.remaining() != f.length()) {
      return null;
    }
    byte[] out = new byte[f.length()];
    b.get(out);
    return FragmentMerkle.root(out, 0, out.length).equals(f.hash()) ? out : null;
  }

  private <T> T await(CompletableFuture<T> fut)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      return fut.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      fut.cancel(true);
      throw e;
    }
  }
}
