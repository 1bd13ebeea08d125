package org.deoss.core.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869) on the JDK's HMAC, for short outputs (at most 32 bytes: one expand block).
 * One HMAC instance is cached per thread.
 */
final class Hkdf {
  static final int HASH_LENGTH = 32;

  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(Hkdf::newMac);

  private Hkdf() {}

  /** HKDF-Extract then HKDF-Expand to {@code length} (1..32) bytes. */
  static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
    if (length < 1 || length > HASH_LENGTH) {
      throw new IllegalArgumentException("HKDF output length must be 1..32, got " + length);
    }
    Mac mac = MAC.get();
    try {
      byte[] extractSalt = salt.length == 0 ? new byte[HASH_LENGTH] : salt;
      mac.init(new SecretKeySpec(extractSalt, "HmacSHA256"));
      byte[] prk = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      mac.update(info);
      mac.update((byte) 1);
      byte[] okm = mac.doFinal();
      Arrays.fill(prk, (byte) 0);
      if (length == HASH_LENGTH) {
        return okm;
      }
      byte[] out = Arrays.copyOf(okm, length);
      Arrays.fill(okm, (byte) 0);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  private static Mac newMac() {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
