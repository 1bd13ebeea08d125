package org.deoss.core.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The random 32-byte data key (DEK) of one object. Every segment of the object is encrypted under a
 * key derived from it (see {@link SegmentCipher}); the DEK itself is stored only wrapped for its
 * readers (see {@link KeyWrap}). {@link #destroy()} wipes it; any use after that fails. Thread-safe
 * for reading; destroy only when no cipher uses it any more.
 */
public final class DataKey {
  /** Length of a data key in bytes. */
  public static final int LENGTH = 32;

  private final byte[] key;
  private volatile boolean destroyed;

  private DataKey(byte[] key) {
    this.key = key;
  }

  /** A fresh random key from {@code random}. */
  public static DataKey generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] key = new byte[LENGTH];
    random.nextBytes(key);
    return new DataKey(key);
  }

  /** The key of 32 given bytes (copied). */
  public static DataKey of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a data key has 32 bytes, got " + bytes.length);
    }
    return new DataKey(bytes.clone());
  }

  /**
   * A copy of the key bytes.
   *
   * @throws IllegalStateException if the key was destroyed
   */
  public byte[] bytes() {
    return raw().clone();
  }

  /** The key bytes themselves, for this package's ciphers; never handed out. */
  byte[] raw() {
    if (destroyed) {
      throw new IllegalStateException("data key was destroyed");
    }
    return key;
  }

  /** Wipes the key; later use throws {@link IllegalStateException}. */
  public void destroy() {
    destroyed = true;
    Arrays.fill(key, (byte) 0);
  }

  /** Whether {@link #destroy()} was called. */
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return destroyed ? "DataKey(destroyed)" : "DataKey(****)";
  }
}
