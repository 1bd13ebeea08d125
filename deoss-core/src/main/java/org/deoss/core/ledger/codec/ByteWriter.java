package org.deoss.core.ledger.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;

/**
 * Writes the ledger's canonical binary encoding into a growing buffer. Every value has exactly one
 * encoding:
 *
 * <ul>
 *   <li>unsigned varint: 7 bits per byte, least significant group first, high bit set on every byte
 *       but the last, minimal length (no trailing zero groups); at most 10 bytes;
 *   <li>fixed64: 8 bytes big-endian;
 *   <li>bytes and strings: varint length, then the bytes (strings as UTF-8);
 *   <li>{@link Hash256} and {@link AccountId}: their 32 bytes, no length;
 *   <li>boolean: one byte, 0 or 1.
 * </ul>
 *
 * Not thread-safe.
 */
public final class ByteWriter {
  private byte[] buf;
  private int len;

  public ByteWriter() {
    this(256);
  }

  public ByteWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      long want = Math.max((long) buf.length * 2, (long) len + extra);
      if (want > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("encoding exceeds 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) want);
    }
  }

  /** Writes an unsigned varint; negative values are refused. */
  public ByteWriter varint(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("a varint must not be negative, got " + value);
    }
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      buf[len++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buf[len++] = (byte) value;
    return this;
  }

  /** Writes 8 bytes big-endian (any long, negative too). */
  public ByteWriter fixed64(long value) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      buf[len++] = (byte) (value >>> (8 * i));
    }
    return this;
  }

  /** Writes one byte 0 or 1. */
  public ByteWriter bool(boolean value) {
    return u8(value ? 1 : 0);
  }

  /** Writes one byte. */
  public ByteWriter u8(int value) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException("a byte must be 0..255, got " + value);
    }
    ensure(1);
    buf[len++] = (byte) value;
    return this;
  }

  /** Writes the bytes without a length. */
  public ByteWriter raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  /** Writes a varint length and the bytes. */
  public ByteWriter bytes(byte[] b) {
    varint(b.length);
    return raw(b);
  }

  /** Writes a varint length and the UTF-8 bytes. */
  public ByteWriter string(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  public ByteWriter hash(Hash256 h) {
    ensure(Hash256.LENGTH);
    for (int i = 0; i < Hash256.LENGTH; i++) {
      buf[len++] = h.byteAt(i);
    }
    return this;
  }

  public ByteWriter account(AccountId a) {
    return raw(a.toBytes());
  }

  /** Bytes written so far. */
  public int size() {
    return len;
  }

  /** A copy of the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }
}
