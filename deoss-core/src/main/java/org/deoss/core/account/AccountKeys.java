package org.deoss.core.account;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An account's Ed25519 key pair: signs transactions, handshakes and gateway requests. Holds the
 * 32-byte secret seed; {@link #destroy()} wipes it. Thread-safe for signing.
 */
public final class AccountKeys {
  /** Length of an Ed25519 signature. */
  public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_SIZE;

  /** Length of the secret seed. */
  public static final int SEED_LENGTH = Ed25519.SECRET_KEY_SIZE;

  private final byte[] seed;
  private final AccountId id;

  private AccountKeys(byte[] seed) {
    this.seed = seed;
    byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, pk, 0);
    this.id = AccountId.of(pk);
  }

  /** A new random key pair. */
  public static AccountKeys generate(SecureRandom random) {
    byte[] seed = new byte[SEED_LENGTH];
    random.nextBytes(seed);
    return new AccountKeys(seed);
  }

  /** The key pair of a 32-byte secret seed (copied). */
  public static AccountKeys fromSeed(byte[] seed) {
    Objects.requireNonNull(seed, "seed");
    if (seed.length != SEED_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, got " + seed.length);
    }
    return new AccountKeys(seed.clone());
  }

  /** The account these keys sign for. */
  public AccountId id() {
    return id;
  }

  /** The Ed25519 signature of {@code message}. */
  public byte[] sign(byte[] message) {
    byte[] sig = new byte[SIGNATURE_LENGTH];
    Ed25519.sign(seed, 0, message, 0, message.length, sig, 0);
    return sig;
  }

  /** A copy of the secret seed, for the wallet file. */
  public byte[] seed() {
    return seed.clone();
  }

  /** Wipes the secret seed; later signatures are worthless. */
  public void destroy() {
    Arrays.fill(seed, (byte) 0);
  }

  @Override
  public String toString() {
    return "AccountKeys(" + id + ")";
  }
}
