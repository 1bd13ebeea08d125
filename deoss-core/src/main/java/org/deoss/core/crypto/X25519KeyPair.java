package org.deoss.core.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * An X25519 key pair (RFC 7748): the key that data keys are wrapped for (see {@link KeyWrap}).
 * Holds the 32-byte private key; {@link #destroy()} wipes this object's copy. Thread-safe.
 */
public final class X25519KeyPair {
  /** Length of a private or public X25519 key. */
  public static final int KEY_LENGTH = 32;

  private final byte[] privateKey;
  private final byte[] publicKey;
  private volatile boolean destroyed;

  private X25519KeyPair(byte[] privateKey) {
    this.privateKey = privateKey;
    this.publicKey = new X25519PrivateKeyParameters(privateKey, 0).generatePublicKey().getEncoded();
  }

  /** A fresh random key pair. */
  public static X25519KeyPair generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] key = new byte[KEY_LENGTH];
    random.nextBytes(key);
    return new X25519KeyPair(key);
  }

  /** The key pair of a 32-byte private key (copied; any 32 bytes are a valid X25519 key). */
  public static X25519KeyPair fromPrivateKey(byte[] privateKey) {
    Objects.requireNonNull(privateKey, "privateKey");
    if (privateKey.length != KEY_LENGTH) {
      throw new IllegalArgumentException(
          "an X25519 private key has 32 bytes, got " + privateKey.length);
    }
    return new X25519KeyPair(privateKey.clone());
  }

  /** A copy of the 32-byte public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** Wipes the private key; later use throws {@link IllegalStateException}. */
  public void destroy() {
    destroyed = true;
    Arrays.fill(privateKey, (byte) 0);
  }

  /** The pair as Bouncy Castle parameters, for HPKE. */
  AsymmetricCipherKeyPair toBouncyCastle() {
    if (destroyed) {
      throw new IllegalStateException("X25519 key pair was destroyed");
    }
    return new AsymmetricCipherKeyPair(
        new X25519PublicKeyParameters(publicKey, 0), new X25519PrivateKeyParameters(privateKey, 0));
  }

  @Override
  public String toString() {
    return "X25519KeyPair(public=" + HexFormat.of().formatHex(publicKey) + ")";
  }
}
