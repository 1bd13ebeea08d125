package org.deoss.core.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A SHA-256 digest: names fragments and segments, forms the fid, chains ledger blocks. Immutable;
 * ordered by unsigned bytes; shown as 64 lowercase hex characters.
 */
public final class Hash256 implements Comparable<Hash256> {
  /** Length of a digest in bytes. */
  public static final int LENGTH = 32;

  /** The all-zero value, used where a chain has no predecessor. */
  public static final Hash256 ZERO = new Hash256(new byte[LENGTH]);

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private Hash256(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of 32 bytes. */
  public static Hash256 of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "a SHA-256 digest has 32 bytes, got " + bytes.length + " bytes");
    }
    return new Hash256(bytes.clone());
  }

  /** Parses 64 hex characters (either case). */
  public static Hash256 ofHex(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException(
          "a SHA-256 digest is 64 hex characters, got "
              + hex.length()
              + ": '"
              + abbreviate(hex)
              + "'");
    }
    try {
      return new Hash256(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex digest: '" + abbreviate(hex) + "'", e);
    }
  }

  /** The SHA-256 of {@code data}. */
  public static Hash256 digest(byte[] data) {
    return digest(data, 0, data.length);
  }

  /** The SHA-256 of {@code data[offset, offset+length)}. */
  public static Hash256 digest(byte[] data, int offset, int length) {
    MessageDigest md = newDigest();
    md.update(data, offset, length);
    return new Hash256(md.digest());
  }

  /** A fresh SHA-256 {@link MessageDigest}; the JDK provider uses the CPU's SHA extensions. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }

  /** Wraps the 32 bytes a digest has just produced, without copying. */
  public static Hash256 wrapDigest(MessageDigest md) {
    return new Hash256(md.digest());
  }

  /** A copy of the 32 bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Feeds the 32 bytes into {@code md} without copying them. */
  public void updateDigest(MessageDigest md) {
    md.update(bytes);
  }

  /** Byte {@code i} of the digest. */
  public byte byteAt(int i) {
    return bytes[i];
  }

  /** 64 lowercase hex characters. */
  public String toHex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public int compareTo(Hash256 o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash256 && Arrays.equals(bytes, ((Hash256) o).bytes);
  }

  @Override
  public int hashCode() {
    return (bytes[0] & 0xff) << 24
        | (bytes[1] & 0xff) << 16
        | (bytes[2] & 0xff) << 8
        | (bytes[3] & 0xff);
  }

  @Override
  public String toString() {
    return toHex();
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
