package org.deoss.transfer.miner.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;

/**
 * One fragment being written in pieces, from {@link DiskFragmentStore#begin}. The bytes go to a
 * temp file and into a streaming Merkle root as they arrive; {@link #commit()} checks the length
 * and the id, forces the file and renames it into place.
 *
 * <pre>
 *   OPEN --write*--> OPEN --commit--> COMMITTED
 *     |                 \--any failure--> ABORTED (temp file deleted, capacity released)
 *     \--abort / close--> ABORTED
 * </pre>
 *
 * <p>When the store already holds the fragment, the session writes nothing to disk and reserves
 * nothing: it only roots the bytes, so a wrong id still fails.
 *
 * <p><b>Threads.</b> A session is for one thread at a time (a connection's stream); sessions for
 * different fragments, or for the same one, may run at the same time. Methods block on disk I/O.
 */
public final class PutSession implements AutoCloseable {
  private enum State {
    OPEN,
    COMMITTED,
    ABORTED
  }

  private static final int SCRATCH = 64 * 1024;
  private static final int SLICE = 256 * 1024;

  private final DiskFragmentStore store;
  private final Hash256 id;
  private final long length;
  private final Path temp; // null when the store already holds the fragment
  private final FileChannel channel; // null with temp
  private final FragmentMerkle.Builder root = FragmentMerkle.builder();
  private byte[] scratch;
  private long written;
  private State state = State.OPEN;

  PutSession(DiskFragmentStore store, Hash256 id, long length, Path temp, FileChannel channel) {
    this.store = store;
    this.id = id;
    this.length = length;
    this.temp = temp;
    this.channel = channel;
  }

  /** The fragment's id. */
  public Hash256 id() {
    return id;
  }

  /** The length declared at {@link DiskFragmentStore#begin}. */
  public long length() {
    return length;
  }

  /** Bytes written so far. */
  public long written() {
    return written;
  }

  /**
   * Appends all of {@code src}'s remaining bytes (consuming them).
   *
   * @throws FragmentStoreException {@link Reason#PROTOCOL} past the declared length, {@link
   *     Reason#CAPACITY_EXCEEDED} when the disk is full, {@link Reason#IO} on other write errors;
   *     the session is then aborted
   * @throws IllegalStateException after commit or abort
   */
  public void write(ByteBuffer src) {
    requireOpen();
    int n = src.remaining();
    if (n > length - written) {
      abort();
      throw new FragmentStoreException(
          Reason.PROTOCOL,
          id,
          "more bytes than declared: " + (written + n) + " of " + length + " (put aborted)");
    }
    // Slice by slice, so each slice is hashed and written while it is still in the CPU cache and
    // the JDK's temporary direct buffer for heap writes stays small.
    try {
      while (src.hasRemaining()) {
        int k = Math.min(SLICE, src.remaining());
        ByteBuffer slice = src.duplicate();
        slice.limit(slice.position() + k);
        feedRoot(slice.duplicate());
        if (channel != null) {
          store.beforeWrite(temp, written, k);
          while (slice.hasRemaining()) {
            channel.write(slice);
          }
        }
        src.position(src.position() + k);
        written += k;
      }
    } catch (IOException e) {
      abort();
      throw Errors.io(id, "writing", temp, e);
    }
  }

  private void feedRoot(ByteBuffer b) {
    if (b.hasArray()) {
      root.update(b.array(), b.arrayOffset() + b.position(), b.remaining());
      return;
    }
    if (scratch == null) {
      scratch = new byte[SCRATCH];
    }
    while (b.hasRemaining()) {
      int k = Math.min(scratch.length, b.remaining());
      b.get(scratch, 0, k);
      root.update(scratch, 0, k);
    }
  }

  /**
   * Checks that exactly the declared length arrived and that its root is the id, then makes the
   * fragment durable (force, rename into place, force the directory). Returns once it is durable.
   *
   * @throws FragmentStoreException {@link Reason#PROTOCOL} on a short fragment, {@link
   *     Reason#HASH_MISMATCH} on a wrong id, {@link Reason#CAPACITY_EXCEEDED} or {@link Reason#IO}
   *     when the disk fails; nothing is kept
   * @throws IllegalStateException after commit or abort
   */
  public void commit() {
    requireOpen();
    if (written != length) {
      abort();
      throw new FragmentStoreException(
          Reason.PROTOCOL,
          id,
          "fragment ended after " + written + " of " + length + " declared bytes (put aborted)");
    }
    Hash256 actual = root.finish();
    if (!actual.equals(id)) {
      abort();
      throw new FragmentStoreException(
          Reason.HASH_MISMATCH,
          id,
          "the " + length + " bytes sent have root " + actual + ", not the fragment id");
    }
    if (channel == null) {
      state = State.COMMITTED;
      store.refresh(id);
      return;
    }
    try {
      Files.setLastModifiedTime(temp, FileTime.from(store.now()));
      store.force(temp, channel);
      channel.close();
    } catch (IOException e) {
      abort();
      throw Errors.io(id, "forcing", temp, e);
    }
    try {
      store.install(id, length, temp);
      state = State.COMMITTED;
    } finally {
      if (state != State.COMMITTED) {
        abort();
      }
    }
  }

  /** Drops the put: deletes the temp file and releases the reserved capacity. Idempotent. */
  public void abort() {
    if (state != State.OPEN) {
      return;
    }
    state = State.ABORTED;
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the file is deleted next
      }
      store.discard(id, length, temp);
    }
  }

  /** Aborts unless committed. */
  @Override
  public void close() {
    abort();
  }

  private void requireOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException("put of " + id + " already " + state);
    }
  }
}
