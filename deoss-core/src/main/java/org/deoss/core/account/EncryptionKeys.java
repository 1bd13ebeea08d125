package org.deoss.core.account;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.deoss.core.crypto.X25519KeyPair;

/**
 * An account's encryption key: the X25519 key pair that data keys are wrapped for, derived
 * deterministically from the account's Ed25519 seed so the wallet stores nothing more:
 *
 * <pre>
 *   x25519 private key = HKDF-SHA256(ikm = Ed25519 seed,
 *                                    salt = "deoss account encryption key",
 *                                    info = "x25519 v1", 32 bytes)
 * </pre>
 *
 * The labels keep this key apart from the signing key and from any later derived key. Others learn
 * the public half from a signed {@link KeyAnnouncement}.
 */
public final class EncryptionKeys {
  private static final byte[] SALT =
      "deoss account encryption key".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INFO = "x25519 v1".getBytes(StandardCharsets.US_ASCII);

  private EncryptionKeys() {}

  /** The X25519 key pair of {@code keys}' account; the same seed always gives the same pair. */
  public static X25519KeyPair derive(AccountKeys keys) {
    Objects.requireNonNull(keys, "keys");
    byte[] seed = keys.seed();
    byte[] privateKey = new byte[X25519KeyPair.KEY_LENGTH];
    try {
      HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
      hkdf.init(new HKDFParameters(seed, SALT, INFO));
      hkdf.generateBytes(privateKey, 0, privateKey.length);
      return X25519KeyPair.fromPrivateKey(privateKey);
    } finally {
      Arrays.fill(seed, (byte) 0);
      Arrays.fill(privateKey, (byte) 0);
    }
  }
}
