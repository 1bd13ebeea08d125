package org.deoss.core.account;

/**
 * The scrypt cost of a wallet file: {@code n} (CPU/memory cost, a power of two), {@code r} (block
 * size) and {@code p} (parallelism). Memory used is about {@code 128 * n * r} bytes. The values are
 * stored in the wallet, so a wallet opens whatever the defaults are later.
 *
 * @param n cost, a power of two from 2 to 2^20
 * @param r block size, 1..32
 * @param p parallelism, 1..16
 */
public record WalletParams(int n, int r, int p) {
  /** N = 2^15, r = 8, p = 1: 32 MiB and about a tenth of a second per open. */
  public static final WalletParams DEFAULT = new WalletParams(1 << 15, 8, 1);

  private static final long MAX_MEMORY = 1L << 30;

  /** Validates the parameters, naming the bad one. */
  public WalletParams {
    if (n < 2 || n > (1 << 20) || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException(
          "scrypt n must be a power of two from 2 to 2^20, got " + n);
    }
    if (r < 1 || r > 32) {
      throw new IllegalArgumentException("scrypt r must be 1..32, got " + r);
    }
    if (p < 1 || p > 16) {
      throw new IllegalArgumentException("scrypt p must be 1..16, got " + p);
    }
    if (128L * n * r > MAX_MEMORY) {
      throw new IllegalArgumentException(
          "scrypt n=" + n + ", r=" + r + " needs more than 1 GiB (128 * n * r bytes)");
    }
  }
}
