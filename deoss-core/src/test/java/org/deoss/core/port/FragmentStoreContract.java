package org.deoss.core.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link FragmentStore} must have. An implementation's test extends this class
 * and returns a fresh, empty store with at least 1 MiB of capacity from {@link #newStore()}.
 */
public abstract class FragmentStoreContract {
  private static final long SEED = 7;
  private FragmentStore store;
  private final SplittableRandom random = new SplittableRandom(SEED);

  /** A fresh, empty store with at least 1 MiB capacity. */
  protected abstract FragmentStore newStore() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    store = newStore();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** The id a fragment is stored under. */
  protected static Hash256 idOf(byte[] data) {
    return FragmentMerkle.root(data, 0, data.length);
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  private static FragmentStoreException failure(CompletableFuture<?> f) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    return assertInstanceOf(FragmentStoreException.class, e.getCause());
  }

  @Test
  void put_thenGet_returnsSameBytes() throws Exception {
    byte[] data = bytes(10_000);
    Hash256 h = idOf(data);
    await(store.put(h, ByteBuffer.wrap(data)));
    ByteBuffer got = await(store.get(h));
    byte[] out = new byte[got.remaining()];
    got.get(out);
    assertArrayEquals(data, out);
    assertTrue(await(store.has(h)));
  }

  @Test
  void put_doesNotConsumeCallersBuffer() throws Exception {
    byte[] data = bytes(100);
    ByteBuffer buf = ByteBuffer.wrap(data);
    await(store.put(idOf(data), buf));
    assertEquals(100, buf.remaining());
  }

  @Test
  void put_emptyFragment_isAllowed() throws Exception {
    byte[] empty = new byte[0];
    Hash256 h = idOf(empty);
    await(store.put(h, ByteBuffer.wrap(empty)));
    assertEquals(0, await(store.get(h)).remaining());
  }

  @Test
  void get_range_returnsExactlyThatRange() throws Exception {
    byte[] data = bytes(5000);
    Hash256 h = idOf(data);
    await(store.put(h, ByteBuffer.wrap(data)));
    ByteBuffer got = await(store.get(h, 1000, 1234));
    byte[] out = new byte[got.remaining()];
    got.get(out);
    byte[] expected = new byte[1234];
    System.arraycopy(data, 1000, expected, 0, 1234);
    assertArrayEquals(expected, out);
  }

  @Test
  void get_rangePastEnd_failsWithBadRange() throws Exception {
    byte[] data = bytes(100);
    Hash256 h = idOf(data);
    await(store.put(h, ByteBuffer.wrap(data)));
    assertEquals(Reason.BAD_RANGE, failure(store.get(h, 50, 51)).reason());
    assertEquals(Reason.BAD_RANGE, failure(store.get(h, -1, 10)).reason());
  }

  @Test
  void put_wrongHash_failsAndKeepsNothing() throws Exception {
    byte[] data = bytes(1000);
    Hash256 wrong = idOf(bytes(10));
    FragmentStoreException e = failure(store.put(wrong, ByteBuffer.wrap(data)));
    assertEquals(Reason.HASH_MISMATCH, e.reason());
    assertFalse(await(store.has(wrong)));
    assertEquals(0, await(store.stats()).fragments());
  }

  @Test
  void put_twice_isIdempotent() throws Exception {
    byte[] data = bytes(1000);
    Hash256 h = idOf(data);
    await(store.put(h, ByteBuffer.wrap(data)));
    await(store.put(h, ByteBuffer.wrap(data)));
    FragmentStore.Stats stats = await(store.stats());
    assertEquals(1, stats.fragments());
    assertEquals(1000, stats.usedBytes());
  }

  @Test
  void get_unknown_failsWithNotFound() throws Exception {
    assertEquals(Reason.NOT_FOUND, failure(store.get(idOf(bytes(4)))).reason());
  }

  @Test
  void delete_removesAndReportsWhetherPresent() throws Exception {
    byte[] data = bytes(300);
    Hash256 h = idOf(data);
    await(store.put(h, ByteBuffer.wrap(data)));
    assertTrue(await(store.delete(h)));
    assertFalse(await(store.has(h)));
    assertFalse(await(store.delete(h)));
    assertEquals(0, await(store.stats()).usedBytes());
  }

  @Test
  void put_beyondCapacity_failsWithCapacityExceeded() throws Exception {
    long capacity = await(store.stats()).capacityBytes();
    int chunk = 256 * 1024;
    FragmentStoreException refused = null;
    for (long written = 0; written <= capacity + chunk && refused == null; written += chunk) {
      byte[] data = bytes(chunk);
      CompletableFuture<Void> f = store.put(idOf(data), ByteBuffer.wrap(data));
      try {
        f.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        refused = assertInstanceOf(FragmentStoreException.class, e.getCause());
      }
    }
    assertTrue(refused != null, "a store of " + capacity + " bytes accepted more than that");
    assertEquals(Reason.CAPACITY_EXCEEDED, refused.reason());
    assertTrue(await(store.stats()).usedBytes() <= capacity);
  }
}
