package org.deoss.core.port;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.deoss.core.hash.Hash256;

/**
 * One miner's fragment store as a client sees it. Fragments are immutable byte strings named by
 * their id: the SHA-256 Merkle root over their 1 KiB leaves ({@link
 * org.deoss.core.hash.FragmentMerkle#root}).
 *
 * <p><b>Contract.</b>
 *
 * <ul>
 *   <li>{@link #put} completes only once the fragment is durable at the store (written, fsynced,
 *       renamed into place). The store checks the id before it acknowledges: a fragment whose bytes
 *       do not match its id fails with {@link FragmentStoreException.Reason#HASH_MISMATCH} and
 *       nothing is kept. Putting a fragment that is already there succeeds (idempotent). The store
 *       keeps no reference to the caller's buffer once the future completes.
 *   <li>{@link #get} returns exactly the requested range; a range past the end fails with {@link
 *       FragmentStoreException.Reason#BAD_RANGE}; an unknown fragment with {@link
 *       FragmentStoreException.Reason#NOT_FOUND}. The store does not promise that the bytes are
 *       still right: readers verify whole fragments against their hash.
 *   <li>{@link #delete} of an unknown fragment completes with {@code false}.
 *   <li>Failures complete the future exceptionally with a {@link FragmentStoreException}; methods
 *       never throw.
 * </ul>
 *
 * <p><b>Threads.</b> Implementations are thread-safe; futures may complete on any thread, so
 * callers must not block in dependent stages that run on the completing thread.
 */
public interface FragmentStore {

  /** Stores {@code data} (its remaining bytes; the buffer is not modified) under {@code hash}. */
  CompletableFuture<Void> put(Hash256 hash, ByteBuffer data);

  /** Reads {@code length} bytes from {@code offset} of the fragment. */
  CompletableFuture<ByteBuffer> get(Hash256 hash, long offset, int length);

  /** Reads a whole fragment. */
  CompletableFuture<ByteBuffer> get(Hash256 hash);

  /** Whether the store holds the fragment. */
  CompletableFuture<Boolean> has(Hash256 hash);

  /** Deletes the fragment; {@code false} if it was not there. */
  CompletableFuture<Boolean> delete(Hash256 hash);

  /** Counts and bytes held, and the declared capacity. */
  CompletableFuture<Stats> stats();

  /** What a store holds. */
  record Stats(long fragments, long usedBytes, long capacityBytes) {}
}
