package org.deoss.core.account;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.deoss.core.crypto.X25519KeyPair;

/**
 * An account's X25519 encryption key, published signed by the account's Ed25519 key so that others
 * can wrap data keys for it. The signature covers {@link #signedBytes()}:
 *
 * <pre>
 *  "deoss x25519 key announcement v1" (32 ASCII bytes)
 *  || account public key (32) || x25519 public key (32) || issuedAtMillis (u64 big-endian)
 * </pre>
 *
 * Immutable: the byte arrays are copied in and out.
 *
 * @param account the announcing account
 * @param x25519Public its X25519 public key (32 bytes)
 * @param issuedAtMillis when it was signed, milliseconds since the epoch; a newer announcement
 *     replaces an older one
 * @param signature the account's Ed25519 signature over {@link #signedBytes()} (64 bytes)
 */
public record KeyAnnouncement(
    AccountId account, byte[] x25519Public, long issuedAtMillis, byte[] signature) {
  private static final byte[] LABEL =
      "deoss x25519 key announcement v1".getBytes(StandardCharsets.US_ASCII);

  /** Checks lengths and copies the arrays. */
  public KeyAnnouncement {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(x25519Public, "x25519Public");
    Objects.requireNonNull(signature, "signature");
    if (x25519Public.length != X25519KeyPair.KEY_LENGTH) {
      throw new IllegalArgumentException(
          "an X25519 public key has 32 bytes, got " + x25519Public.length);
    }
    if (signature.length != AccountKeys.SIGNATURE_LENGTH) {
      throw new IllegalArgumentException(
          "an Ed25519 signature has 64 bytes, got " + signature.length);
    }
    x25519Public = x25519Public.clone();
    signature = signature.clone();
  }

  /** The announcement of {@code keys}' derived encryption key (see {@link EncryptionKeys}). */
  public static KeyAnnouncement sign(AccountKeys keys, long nowMillis) {
    X25519KeyPair pair = EncryptionKeys.derive(keys);
    byte[] x25519Public = pair.publicKey();
    pair.destroy();
    byte[] signature = keys.sign(signedBytes(keys.id(), x25519Public, nowMillis));
    return new KeyAnnouncement(keys.id(), x25519Public, nowMillis, signature);
  }

  /** Whether the signature is the account's over this announcement's fields. */
  public boolean verify() {
    return account.verify(signedBytes(), signature);
  }

  /** The canonical bytes the signature covers. */
  public byte[] signedBytes() {
    return signedBytes(account, x25519Public, issuedAtMillis);
  }

  private static byte[] signedBytes(AccountId account, byte[] x25519Public, long issuedAtMillis) {
    return ByteBuffer.allocate(LABEL.length + AccountId.LENGTH + X25519KeyPair.KEY_LENGTH + 8)
        .put(LABEL)
        .put(account.toBytes())
        .put(x25519Public)
        .putLong(issuedAtMillis)
        .array();
  }

  /** A copy of the X25519 public key. */
  @Override
  public byte[] x25519Public() {
    return x25519Public.clone();
  }

  /** A copy of the signature. */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyAnnouncement other
        && account.equals(other.account)
        && Arrays.equals(x25519Public, other.x25519Public)
        && issuedAtMillis == other.issuedAtMillis
        && Arrays.equals(signature, other.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(account, Arrays.hashCode(x25519Public), issuedAtMillis);
  }

  @Override
  public String toString() {
    return "KeyAnnouncement("
        + account
        + ", x25519="
        + HexFormat.of().formatHex(x25519Public)
        + ", issuedAtMillis="
        + issuedAtMillis
        + ")";
  }
}
