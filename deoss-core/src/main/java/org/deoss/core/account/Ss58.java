package org.deoss.core.account;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * SS58 addresses (the Substrate address format): base58 of {@code prefix ‖ public key ‖ checksum},
 * where the checksum is the first two bytes of BLAKE2b-512("SS58PRE" ‖ prefix ‖ public key).
 * Network prefixes below 64 take one byte, those up to 16383 take two.
 */
public final class Ss58 {
  /** The CESS prefix: addresses start with {@code cX}. */
  public static final int CESS_PREFIX = 11330;

  /** The generic Substrate prefix: addresses start with {@code 5}. */
  public static final int GENERIC_PREFIX = 42;

  private static final byte[] CONTEXT = "SS58PRE".getBytes(StandardCharsets.US_ASCII);
  private static final int KEY_LENGTH = 32;
  private static final int CHECKSUM_LENGTH = 2;

  private Ss58() {}

  /** The address of a 32-byte public key under {@code prefix}. */
  public static String encode(int prefix, byte[] publicKey) {
    if (publicKey.length != KEY_LENGTH) {
      throw new IllegalArgumentException("an account key has 32 bytes, got " + publicKey.length);
    }
    byte[] pre = prefixBytes(prefix);
    byte[] body = new byte[pre.length + KEY_LENGTH + CHECKSUM_LENGTH];
    System.arraycopy(pre, 0, body, 0, pre.length);
    System.arraycopy(publicKey, 0, body, pre.length, KEY_LENGTH);
    byte[] sum = checksum(body, pre.length + KEY_LENGTH);
    body[body.length - 2] = sum[0];
    body[body.length - 1] = sum[1];
    return Base58.encode(body);
  }

  /** A decoded address: its network prefix and its 32-byte public key. */
  public record Decoded(int prefix, byte[] publicKey) {}

  /**
   * Decodes an address, checking its length and checksum.
   *
   * @throws IllegalArgumentException naming what is wrong with the address
   */
  public static Decoded decode(String address) {
    if (address == null || address.isEmpty()) {
      throw new IllegalArgumentException("empty account address");
    }
    byte[] body;
    try {
      body = Base58.decode(address);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("account address '" + address + "': " + e.getMessage(), e);
    }
    if (body.length == 0) {
      throw new IllegalArgumentException("account address '" + address + "' is empty");
    }
    int preLength = (body[0] & 0x40) != 0 ? 2 : 1;
    if (body.length != preLength + KEY_LENGTH + CHECKSUM_LENGTH) {
      throw new IllegalArgumentException(
          "account address '"
              + address
              + "' has "
              + body.length
              + " bytes; an SS58 account address of a 32-byte key has "
              + (preLength + KEY_LENGTH + CHECKSUM_LENGTH));
    }
    int prefix;
    if (preLength == 1) {
      prefix = body[0] & 0xFF;
      if (prefix > 63) {
        throw new IllegalArgumentException(
            "account address '" + address + "' has a reserved prefix");
      }
    } else {
      int b0 = body[0] & 0xFF;
      int b1 = body[1] & 0xFF;
      prefix = ((b0 & 0x3F) << 2) | (b1 >> 6) | ((b1 & 0x3F) << 8);
    }
    byte[] sum = checksum(body, preLength + KEY_LENGTH);
    if (sum[0] != body[body.length - 2] || sum[1] != body[body.length - 1]) {
      throw new IllegalArgumentException(
          "account address '" + address + "' has a wrong checksum (mistyped?)");
    }
    byte[] key = new byte[KEY_LENGTH];
    System.arraycopy(body, preLength, key, 0, KEY_LENGTH);
    return new Decoded(prefix, key);
  }

  static byte[] prefixBytes(int prefix) {
    if (prefix < 0 || prefix > 16383 || prefix == 46 || prefix == 47) {
      throw new IllegalArgumentException("SS58 prefix " + prefix + " is out of range or reserved");
    }
    if (prefix < 64) {
      return new byte[] {(byte) prefix};
    }
    int first = ((prefix & 0xFC) >> 2) | 0x40;
    int second = (prefix >> 8) | ((prefix & 0x03) << 6);
    return new byte[] {(byte) first, (byte) second};
  }

  private static byte[] checksum(byte[] body, int length) {
    Blake2bDigest blake = new Blake2bDigest(512);
    blake.update(CONTEXT, 0, CONTEXT.length);
    blake.update(body, 0, length);
    byte[] out = new byte[64];
    blake.doFinal(out, 0);
    return new byte[] {out[0], out[1]};
  }
}
