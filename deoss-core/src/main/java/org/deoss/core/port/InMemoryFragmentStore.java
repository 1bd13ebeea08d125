package org.deoss.core.port;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStoreException.Reason;

/**
 * A fragment store in memory, for unit tests of the layers above. Completes every future at once,
 * on the calling thread. Tests can take it offline or corrupt a fragment to exercise failure paths.
 */
public final class InMemoryFragmentStore implements FragmentStore {
  private final ConcurrentMap<Hash256, byte[]> fragments = new ConcurrentHashMap<>();
  private final AtomicLong used = new AtomicLong();
  private final long capacity;
  private volatile boolean online = true;

  public InMemoryFragmentStore(long capacityBytes) {
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("capacityBytes must be positive, got " + capacityBytes);
    }
    this.capacity = capacityBytes;
  }

  /** Takes the store off line (every request fails with UNAVAILABLE) or back on. */
  public void setOnline(boolean online) {
    this.online = online;
  }

  /** Flips one byte of a stored fragment, as a failing disk would. */
  public void corrupt(Hash256 hash, int index) {
    byte[] data = fragments.get(hash);
    if (data == null) {
      throw new IllegalArgumentException("no fragment " + hash);
    }
    data[index] ^= (byte) 0x5A;
  }

  @Override
  public CompletableFuture<Void> put(Hash256 hash, ByteBuffer data) {
    if (!online) {
      return offline();
    }
    byte[] copy = new byte[data.remaining()];
    data.duplicate().get(copy);
    if (!FragmentMerkle.root(copy, 0, copy.length).equals(hash)) {
      return CompletableFuture.failedFuture(
          new FragmentStoreException(
              Reason.HASH_MISMATCH, hash, "the bytes sent do not match the fragment id"));
    }
    synchronized (this) {
      if (fragments.containsKey(hash)) {
        return CompletableFuture.completedFuture(null);
      }
      if (used.get() + copy.length > capacity) {
        return CompletableFuture.failedFuture(
            new FragmentStoreException(
                Reason.CAPACITY_EXCEEDED,
                hash,
                copy.length + " bytes do not fit: " + used.get() + " of " + capacity + " used"));
      }
      fragments.put(hash, copy);
      used.addAndGet(copy.length);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<ByteBuffer> get(Hash256 hash, long offset, int length) {
    if (!online) {
      return offline();
    }
    byte[] data = fragments.get(hash);
    if (data == null) {
      return CompletableFuture.failedFuture(
          new FragmentStoreException(Reason.NOT_FOUND, hash, "no such fragment"));
    }
    if (offset < 0 || length < 0 || offset + length > data.length) {
      return CompletableFuture.failedFuture(
          new FragmentStoreException(
              Reason.BAD_RANGE,
              hash,
              "range ["
                  + offset
                  + ", "
                  + (offset + length)
                  + ") outside "
                  + data.length
                  + " bytes"));
    }
    byte[] out = new byte[length];
    System.arraycopy(data, (int) offset, out, 0, length);
    return CompletableFuture.completedFuture(ByteBuffer.wrap(out));
  }

  @Override
  public CompletableFuture<ByteBuffer> get(Hash256 hash) {
    byte[] data = fragments.get(hash);
    return get(hash, 0, data == null ? 0 : data.length);
  }

  @Override
  public CompletableFuture<Boolean> has(Hash256 hash) {
    if (!online) {
      return offline();
    }
    return CompletableFuture.completedFuture(fragments.containsKey(hash));
  }

  @Override
  public CompletableFuture<Boolean> delete(Hash256 hash) {
    if (!online) {
      return offline();
    }
    synchronized (this) {
      byte[] removed = fragments.remove(hash);
      if (removed == null) {
        return CompletableFuture.completedFuture(false);
      }
      used.addAndGet(-removed.length);
      return CompletableFuture.completedFuture(true);
    }
  }

  @Override
  public CompletableFuture<Stats> stats() {
    if (!online) {
      return offline();
    }
    return CompletableFuture.completedFuture(new Stats(fragments.size(), used.get(), capacity));
  }

  private static <T> CompletableFuture<T> offline() {
    return CompletableFuture.failedFuture(
        new FragmentStoreException(Reason.UNAVAILABLE, null, "the store is off line"));
  }
}
