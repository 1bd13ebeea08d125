package org.deoss.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.generators.X25519KeyPairGenerator;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.X25519KeyGenerationParameters;

/**
 * Wraps a {@link DataKey} for a reader's X25519 public key with HPKE (RFC 9180) in base mode, suite
 * DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / ChaCha20-Poly1305 (KEM 0x0020, KDF 0x0001, AEAD
 * 0x0003: the suite of the RFC's Appendix A.2, which the tests replay). Bouncy Castle's HPKE does
 * the work; this class fixes the suite and the byte format.
 *
 * <pre>
 *  0         1                                33                                  81
 *  +---------+--------------------------------+-----------------------------------+
 *  | 0x01    | enc: ephemeral X25519 public   | ct: ChaCha20-Poly1305 of the DEK  |
 *  | version | key (32 bytes)                 | (32 bytes) + tag (16 bytes)       |
 *  +---------+--------------------------------+-----------------------------------+
 *  aad of the seal = the version byte; info = caller's context, e.g. {@link #dekInfo(byte[])}
 * </pre>
 *
 * The {@code info} binds a wrap to its context: a wrapped key copied to another object (another
 * {@code info}) does not open. Stateless and thread-safe.
 */
public final class KeyWrap {
  /** Format version, the first byte of every wrapped key. */
  public static final byte VERSION = 1;

  /** Length of a wrapped data key. */
  public static final int WRAPPED_LENGTH = 1 + 32 + DataKey.LENGTH + 16;

  private static final byte[] AAD = {VERSION};
  private static final byte[] DEK_LABEL = "deoss dek v1".getBytes(StandardCharsets.US_ASCII);

  private KeyWrap() {}

  /**
   * The {@code info} that binds a data key's wrap to its object: {@code "deoss dek v1" ||
   * objectId}.
   */
  public static byte[] dekInfo(byte[] objectId) {
    Objects.requireNonNull(objectId, "objectId");
    byte[] info = Arrays.copyOf(DEK_LABEL, DEK_LABEL.length + objectId.length);
    System.arraycopy(objectId, 0, info, DEK_LABEL.length, objectId.length);
    return info;
  }

  /**
   * Wraps {@code dek} for the holder of the private key of {@code recipientX25519Public}.
   *
   * @param info the context the wrap is bound to; {@link #unwrap} must be given the same bytes
   * @param random source of the ephemeral key
   * @return {@value #WRAPPED_LENGTH} bytes: version, encapsulated key, sealed DEK
   * @throws IllegalArgumentException if the public key is not 32 bytes or is a low-order point
   */
  public static byte[] wrap(
      byte[] recipientX25519Public, DataKey dek, byte[] info, SecureRandom random) {
    Objects.requireNonNull(recipientX25519Public, "recipientX25519Public");
    Objects.requireNonNull(dek, "dek");
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(random, "random");
    if (recipientX25519Public.length != X25519KeyPair.KEY_LENGTH) {
      throw new IllegalArgumentException(
          "an X25519 public key has 32 bytes, got " + recipientX25519Public.length);
    }
    X25519KeyPairGenerator generator = new X25519KeyPairGenerator();
    generator.init(new X25519KeyGenerationParameters(random));
    byte[][] sealed =
        seal(suite(), recipientX25519Public, info, AAD, dek.raw(), generator.generateKeyPair());
    byte[] out = new byte[WRAPPED_LENGTH];
    out[0] = VERSION;
    System.arraycopy(sealed[0], 0, out, 1, 32);
    System.arraycopy(sealed[1], 0, out, 33, sealed[1].length);
    return out;
  }

  /**
   * Opens a wrapped data key with the recipient's key pair.
   *
   * @throws TamperedDataException if it was not wrapped for this recipient, with this {@code info},
   *     or was altered; or has the wrong length or version
   */
  public static DataKey unwrap(X25519KeyPair recipient, byte[] wrapped, byte[] info) {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(wrapped, "wrapped");
    Objects.requireNonNull(info, "info");
    if (wrapped.length != WRAPPED_LENGTH) {
      throw new TamperedDataException(
          "wrapped data key has " + wrapped.length + " bytes, expected " + WRAPPED_LENGTH);
    }
    if (wrapped[0] != VERSION) {
      throw new TamperedDataException(
          "wrapped data key has unknown version " + (wrapped[0] & 0xFF));
    }
    byte[] enc = Arrays.copyOfRange(wrapped, 1, 33);
    byte[] plain;
    try {
      HPKEContext context = suite().setupBaseR(enc, recipient.toBouncyCastle(), info);
      plain = context.open(AAD, wrapped, 33, wrapped.length - 33);
    } catch (InvalidCipherTextException | IllegalStateException | IllegalArgumentException e) {
      throw new TamperedDataException(
          "wrapped data key does not open for X25519 key "
              + HexFormat.of().formatHex(recipient.publicKey())
              + " with this context (wrong recipient, wrong context, or altered)",
          e);
    }
    try {
      return DataKey.of(plain);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** One HPKE base-mode seal with a given ephemeral key: {enc, ciphertext}. For known answers. */
  static byte[][] seal(
      HPKE hpke,
      byte[] recipientPublic,
      byte[] info,
      byte[] aad,
      byte[] plaintext,
      AsymmetricCipherKeyPair ephemeral) {
    AsymmetricKeyParameter pkR;
    HPKEContextWithEncapsulation context;
    try {
      pkR = hpke.deserializePublicKey(recipientPublic);
      context = hpke.setupBaseS(pkR, info, ephemeral);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot wrap for X25519 key "
              + HexFormat.of().formatHex(recipientPublic)
              + ": "
              + e.getMessage(),
          e);
    }
    try {
      return new byte[][] {context.getEncapsulation(), context.seal(aad, plaintext)};
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("HPKE seal failed", e);
    }
  }

  static HPKE suite() {
    return suite(HPKE.aead_CHACHA20_POLY1305);
  }

  static HPKE suite(short aead) {
    return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, aead);
  }
}
