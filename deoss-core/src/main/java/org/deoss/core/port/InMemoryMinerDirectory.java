package org.deoss.core.port;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deoss.core.account.AccountId;
import org.deoss.core.placement.Candidate;

/** A set of {@link InMemoryFragmentStore} miners, for unit tests of the pipeline and above. */
public final class InMemoryMinerDirectory implements MinerDirectory {
  private final Map<AccountId, InMemoryFragmentStore> stores = new LinkedHashMap<>();
  private final Map<AccountId, String> zones = new LinkedHashMap<>();

  /** {@code count} miners with {@code capacity} bytes each, spread round-robin over zones. */
  public static InMemoryMinerDirectory of(int count, int zoneCount, long capacity) {
    InMemoryMinerDirectory dir = new InMemoryMinerDirectory();
    for (int i = 0; i < count; i++) {
      byte[] key = new byte[32];
      key[0] = (byte) 0xA0;
      key[1] = (byte) i;
      key[2] = (byte) (i >> 8);
      dir.add(AccountId.of(key), "zone-" + (i % zoneCount), new InMemoryFragmentStore(capacity));
    }
    return dir;
  }

  public synchronized void add(AccountId miner, String zone, InMemoryFragmentStore store) {
    stores.put(miner, store);
    zones.put(miner, zone);
  }

  /** The miners, in the order they were added. */
  public synchronized List<AccountId> miners() {
    return new ArrayList<>(stores.keySet());
  }

  /** The in-memory store of a miner, to take it off line or corrupt it in a test. */
  public synchronized InMemoryFragmentStore memoryStore(AccountId miner) {
    return stores.get(miner);
  }

  @Override
  public synchronized List<Candidate> candidates() {
    // Off-line stores cannot report stats; they are left out as a real directory would.
    List<Candidate> out = new ArrayList<>();
    for (Map.Entry<AccountId, InMemoryFragmentStore> e : stores.entrySet()) {
      FragmentStore.Stats s = e.getValue().stats().exceptionally(t -> null).join();
      if (s == null) {
        continue;
      }
      out.add(new Candidate(e.getKey(), zones.get(e.getKey()), s.capacityBytes() - s.usedBytes()));
    }
    return out;
  }

  @Override
  public synchronized FragmentStore store(AccountId miner) {
    InMemoryFragmentStore s = stores.get(miner);
    if (s == null) {
      InMemoryFragmentStore gone = new InMemoryFragmentStore(1);
      gone.setOnline(false);
      return gone;
    }
    return s;
  }
}
