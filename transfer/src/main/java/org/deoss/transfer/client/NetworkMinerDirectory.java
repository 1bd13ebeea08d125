package org.deoss.transfer.client;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;
import org.deoss.core.placement.Candidate;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.deoss.core.port.MinerDirectory;

/**
 * The miners of the ledger's registry, reached through a {@link MinerPool}. {@link #candidates()}
 * lists the registry's miners except those the pool has marked down; {@link #store} gives a pooled
 * store, or for a miner not in the registry one whose requests fail with UNAVAILABLE.
 *
 * <p>The registry supplier is called on every {@link #candidates()} and for unknown miners in
 * {@link #store}; it should cache (the ledger's miner list changes slowly). Thread-safe.
 */
public final class NetworkMinerDirectory implements MinerDirectory {
  private final Supplier<List<MinerEndpoint>> registry;
  private final MinerPool pool;

  public NetworkMinerDirectory(Supplier<List<MinerEndpoint>> registry, MinerPool pool) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  @Override
  public List<Candidate> candidates() {
    List<Candidate> out = new ArrayList<>();
    for (MinerEndpoint m : registry.get()) {
      if (pool.health(m.account()) != MinerPool.Health.DOWN) {
        out.add(new Candidate(m.account(), m.zone(), m.freeBytes()));
      }
    }
    return out;
  }

  @Override
  public FragmentStore store(AccountId miner) {
    for (MinerEndpoint m : registry.get()) {
      if (m.account().equals(miner)) {
        return pool.store(miner, m.endpoint());
      }
    }
    return new Unknown(miner);
  }

  /** A miner the registry does not list. */
  private record Unknown(AccountId miner) implements FragmentStore {
    private <T> CompletableFuture<T> fail() {
      return CompletableFuture.failedFuture(
          new FragmentStoreException(
              Reason.UNAVAILABLE,
              null,
              "miner " + miner + " is not in the ledger's miner registry"));
    }

    @Override
    public CompletableFuture<Void> put(Hash256 hash, ByteBuffer data) {
      return fail();
    }

    @Override
    public CompletableFuture<ByteBuffer> get(Hash256 hash, long offset, int length) {
      return fail();
    }

    @Override
    public CompletableFuture<ByteBuffer> get(Hash256 hash) {
      return fail();
    }

    @Override
    public CompletableFuture<Boolean> has(Hash256 hash) {
      return fail();
    }

    @Override
    public CompletableFuture<Boolean> delete(Hash256 hash) {
      return fail();
    }

    @Override
    public CompletableFuture<Stats> stats() {
      return fail();
    }
  }
}
