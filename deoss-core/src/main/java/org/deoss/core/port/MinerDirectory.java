package org.deoss.core.port;

import java.util.List;
import org.deoss.core.account.AccountId;
import org.deoss.core.placement.Candidate;

/**
 * The miners a client can use: who may receive fragments now, and how to reach each one.
 *
 * <p>Implementations are thread-safe. {@link #candidates()} may be cached for a short while (a
 * miner that just went away fails its requests and the pipeline tries another).
 */
public interface MinerDirectory {

  /** Active miners with their zone and free bytes, in no particular order. */
  List<Candidate> candidates();

  /**
   * The store of a miner. Never {@code null}: an unknown or unreachable miner gives a store whose
   * requests fail with {@link FragmentStoreException.Reason#UNAVAILABLE}.
   */
  FragmentStore store(AccountId miner);
}
