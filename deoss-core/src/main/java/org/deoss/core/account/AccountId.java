package org.deoss.core.account;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An account: the 32-byte Ed25519 public key that signs its transactions. Shown and parsed as a
 * CESS SS58 address ({@code cX...}); addresses with the generic prefix 42 are accepted too.
 * Immutable.
 */
public final class AccountId implements Comparable<AccountId> {
  /** Length of an account key in bytes. */
  public static final int LENGTH = 32;

  private final byte[] key;
  // The address is made on first use: a ledger decodes many more ids than it prints, and an SS58
  // encoding (base 58 and a BLAKE2b checksum) costs about as much as the rest of a small put's
  // record. Racy but benign: every thread computes the same string.
  private String address;

  private AccountId(byte[] key, String address) {
    this.key = key;
    this.address = address; // null: made by address()
  }

  /** The account of a 32-byte Ed25519 public key (copied). */
  public static AccountId of(byte[] publicKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    if (publicKey.length != LENGTH) {
      throw new IllegalArgumentException("an account key has 32 bytes, got " + publicKey.length);
    }
    return new AccountId(publicKey.clone(), null);
  }

  /**
   * Parses an SS58 address with the CESS or the generic prefix.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static AccountId parse(String address) {
    Ss58.Decoded decoded = Ss58.decode(address);
    if (decoded.prefix() != Ss58.CESS_PREFIX && decoded.prefix() != Ss58.GENERIC_PREFIX) {
      throw new IllegalArgumentException(
          "account address '"
              + address
              + "' has network prefix "
              + decoded.prefix()
              + "; expected "
              + Ss58.CESS_PREFIX
              + " (cX...) or "
              + Ss58.GENERIC_PREFIX);
    }
    return new AccountId(decoded.publicKey(), null);
  }

  /** Verifies an Ed25519 signature by this account over {@code message}. */
  public boolean verify(byte[] message, byte[] signature) {
    if (signature == null || signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    return Ed25519.verify(signature, 0, key, 0, message, 0, message.length);
  }

  /** A copy of the public key. */
  public byte[] toBytes() {
    return key.clone();
  }

  /** The CESS SS58 address ({@code cX...}). */
  public String address() {
    String a = address;
    if (a == null) {
      a = Ss58.encode(Ss58.CESS_PREFIX, key);
      address = a;
    }
    return a;
  }

  /** The public key as 64 hex characters. */
  public String toHex() {
    return HexFormat.of().formatHex(key);
  }

  @Override
  public int compareTo(AccountId o) {
    return Arrays.compareUnsigned(key, o.key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AccountId && Arrays.equals(key, ((AccountId) o).key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return address();
  }
}
