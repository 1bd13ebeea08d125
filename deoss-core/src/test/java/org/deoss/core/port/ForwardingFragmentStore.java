package org.deoss.core.port;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.deoss.core.hash.Hash256;

/**
 * A fragment store that forwards every call to another; tests override the one or two methods whose
 * failure they want to inject (a miner that hangs, refuses puts, answers slowly).
 */
public class ForwardingFragmentStore implements FragmentStore {
  protected final FragmentStore inner;

  public ForwardingFragmentStore(FragmentStore inner) {
    this.inner = inner;
  }

  @Override
  public CompletableFuture<Void> put(Hash256 hash, ByteBuffer data) {
    return inner.put(hash, data);
  }

  @Override
  public CompletableFuture<ByteBuffer> get(Hash256 hash, long offset, int length) {
    return inner.get(hash, offset, length);
  }

  @Override
  public CompletableFuture<ByteBuffer> get(Hash256 hash) {
    return inner.get(hash);
  }

  @Override
  public CompletableFuture<Boolean> has(Hash256 hash) {
    return inner.has(hash);
  }

  @Override
  public CompletableFuture<Boolean> delete(Hash256 hash) {
    return inner.delete(hash);
  }

  @Override
  public CompletableFuture<Stats> stats() {
    return inner.stats();
  }
}
