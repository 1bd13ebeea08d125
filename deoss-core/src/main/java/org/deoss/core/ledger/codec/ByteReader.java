package org.deoss.core.ledger.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;

/**
 * Reads the encoding of {@link ByteWriter}, refusing anything that is not canonical: truncated
 * input, varints that are over-long or not minimal, lengths above the caller's limit, invalid
 * UTF-8, booleans other than 0 or 1, and (through {@link #expectEnd}) trailing bytes. Every read
 * names the field it reads, and a failure is a {@link CodecException} naming that field and the
 * offset. Not thread-safe.
 */
public final class ByteReader {
  private final byte[] buf;
  private final int end;
  private int pos;

  public ByteReader(byte[] data) {
    this(data, 0, data.length);
  }

  public ByteReader(byte[] data, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > data.length) {
      throw new IllegalArgumentException(
          "range " + offset + "+" + length + " outside " + data.length + " bytes");
    }
    this.buf = data;
    this.pos = offset;
    this.end = offset + length;
  }

  private CodecException fail(String field, String problem) {
    return new CodecException("malformed " + field + " at offset " + pos + ": " + problem);
  }

  private void need(String field, int n) {
    if (n > end - pos) {
      throw fail(field, "needs " + n + " bytes, only " + (end - pos) + " left");
    }
  }

  /** Reads an unsigned varint. */
  public long varint(String field) {
    long value = 0;
    int start = pos;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos >= end) {
        pos = start;
        throw fail(field, "truncated varint");
      }
      int b = buf[pos++] & 0xFF;
      if (shift == 63 && b > 1) {
        pos = start;
        throw fail(field, "varint exceeds 63 bits");
      }
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          pos = start;
          throw fail(field, "varint is not minimal");
        }
        if (value < 0) {
          pos = start;
          throw fail(field, "varint exceeds 63 bits");
        }
        return value;
      }
    }
    pos = start;
    throw fail(field, "varint longer than 10 bytes");
  }

  /** Reads a varint in {@code [min, max]}. */
  public long varint(String field, long min, long max) {
    int start = pos;
    long v = varint(field);
    if (v < min || v > max) {
      pos = start;
      throw fail(field, "value " + v + " outside " + min + ".." + max);
    }
    return v;
  }

  /** Reads a varint that fits an int in {@code [min, max]}. */
  public int varint32(String field, int min, int max) {
    return (int) varint(field, min, max);
  }

  public long fixed64(String field) {
    need(field, 8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos++] & 0xFF);
    }
    return v;
  }

  public int u8(String field) {
    need(field, 1);
    return buf[pos++] & 0xFF;
  }

  public boolean bool(String field) {
    int b = u8(field);
    if (b > 1) {
      pos--;
      throw fail(field, "boolean must be 0 or 1, got " + b);
    }
    return b == 1;
  }

  /** Reads exactly {@code n} bytes. */
  public byte[] raw(String field, int n) {
    need(field, n);
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  /** Reads length-prefixed bytes of at most {@code maxLength}. */
  public byte[] bytes(String field, int maxLength) {
    int start = pos;
    long n = varint(field + " length");
    if (n > maxLength) {
      pos = start;
      throw fail(field, "length " + n + " exceeds the limit of " + maxLength);
    }
    return raw(field, (int) n);
  }

  /** Reads a length-prefixed UTF-8 string of at most {@code maxBytes} bytes. */
  public String string(String field, int maxBytes) {
    int start = pos;
    byte[] b = bytes(field, maxBytes);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      pos = start;
      throw fail(field, "invalid UTF-8");
    }
  }

  public Hash256 hash(String field) {
    return Hash256.of(raw(field, Hash256.LENGTH));
  }

  public AccountId account(String field) {
    return AccountId.of(raw(field, AccountId.LENGTH));
  }

  /** Reads a list count of at most {@code max}. */
  public int count(String field, int max) {
    return varint32(field + " count", 0, max);
  }

  /** Fails unless every byte was read. */
  public void expectEnd(String what) {
    if (pos != end) {
      throw new CodecException(
          "malformed " + what + ": " + (end - pos) + " trailing bytes at offset " + pos);
    }
  }

  /** Bytes not yet read. */
  public int remaining() {
    return end - pos;
  }

  public int position() {
    return pos;
  }

  /** A {@link CodecException} for a value that decoded but breaks a rule. */
  public CodecException invalid(String field, String problem) {
    return fail(field, problem);
  }
}
