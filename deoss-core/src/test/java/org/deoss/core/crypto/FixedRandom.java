package org.deoss.core.crypto;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/** A deterministic SecureRandom for tests: bytes from a seeded SplittableRandom. */
final class FixedRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;
  private final transient SplittableRandom random;

  FixedRandom(long seed) {
    super(new byte[0]);
    this.random = new SplittableRandom(seed);
  }

  @Override
  public void nextBytes(byte[] bytes) {
    random.nextBytes(bytes);
  }
}
