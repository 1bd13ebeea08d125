package org.deoss.core.manifest;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The random 16-byte identity of an object, chosen by the client when the object is first written
 * and kept by its later versions. Encryption binds every chunk to it, so fragments cannot be moved
 * from one object to another undetected.
 */
public final class ObjectId implements Comparable<ObjectId> {
  /** Length in bytes. */
  public static final int LENGTH = 16;

  private static final HexFormat HEX = HexFormat.of();
  private final byte[] bytes;

  private ObjectId(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A fresh random id. */
  public static ObjectId random(SecureRandom random) {
    byte[] b = new byte[LENGTH];
    random.nextBytes(b);
    return new ObjectId(b);
  }

  /** Wraps a copy of 16 bytes. */
  public static ObjectId of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("an object id has 16 bytes, got " + bytes.length);
    }
    return new ObjectId(bytes.clone());
  }

  /** Parses 32 hex characters. */
  public static ObjectId ofHex(String hex) {
    if (hex == null || hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException("an object id is 32 hex characters, got '" + hex + "'");
    }
    return new ObjectId(HEX.parseHex(hex));
  }

  /** A copy of the bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  public String toHex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public int compareTo(ObjectId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectId && Arrays.equals(bytes, ((ObjectId) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
