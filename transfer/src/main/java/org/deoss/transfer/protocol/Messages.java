package org.deoss.transfer.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;

/**
 * The payloads of the frames, one record each, with their exact encodings. Every {@code decode}
 * reads the whole payload and throws a {@link ProtocolException} ({@link
 * ErrorCode#MALFORMED_FRAME}) naming the field if the payload is short, long or out of range. The
 * layouts are drawn in {@code docs/PROTOCOL.md}; all integers are big-endian.
 */
public final class Messages {
  /** Nonce length of the handshake. */
  public static final int NONCE_LENGTH = 32;

  /** Most leaves one PROVE may ask for. */
  public static final int MAX_PROVE_LEAVES = 16;

  /** Longest error message sent, in UTF-8 bytes. */
  public static final int MAX_ERROR_MESSAGE = 1024;

  private Messages() {}

  /**
   * HELLO, client to miner, request id 0.
   *
   * <pre>
   * +--------+--------+--------------+----------------+
   * | minVer | maxVer | client nonce | client account |
   * |   u8   |   u8   |   32 bytes   |    32 bytes    |
   * +--------+--------+--------------+----------------+
   * </pre>
   */
  public record Hello(int minVersion, int maxVersion, byte[] nonce, AccountId client) {
    static final int LENGTH = 2 + NONCE_LENGTH + AccountId.LENGTH;

    public Hello {
      nonce = checkNonce(nonce);
      Objects.requireNonNull(client, "client");
    }

    @Override
    public byte[] nonce() {
      return nonce.clone();
    }

    public ByteBuf encode(ByteBufAllocator alloc) {
      return alloc
          .buffer(LENGTH)
          .writeByte(minVersion)
          .writeByte(maxVersion)
          .writeBytes(nonce)
          .writeBytes(client.toBytes());
    }

    public static Hello decode(ByteBuf p) {
      expect(p, LENGTH, "HELLO");
      return new Hello(
          p.readUnsignedByte(), p.readUnsignedByte(), bytes(p, NONCE_LENGTH), account(p));
    }
  }

  /**
   * HELLO_ACK, miner to client, request id 0. The signature is the miner's over {@link
   * HandshakeSignatures#minerMessage}.
   *
   * <pre>
   * +---------+-------------+---------------+-----------+------------+-----------+
   * | version | miner nonce | miner account | signature | maxPayload | putWindow |
   * |   u8    |  32 bytes   |   32 bytes    | 64 bytes  |    u32     |    u64    |
   * +---------+-------------+---------------+-----------+------------+-----------+
   * </pre>
   */
  public record HelloAck(
      int version,
      byte[] nonce,
      AccountId miner,
      byte[] signature,
      int maxPayload,
      long putWindow) {
    static final int LENGTH =
        1 + NONCE_LENGTH + AccountId.LENGTH + AccountKeys.SIGNATURE_LENGTH + 12;

    public HelloAck {
      nonce = checkNonce(nonce);
      Objects.requireNonNull(miner, "miner");
      signature = checkSignature(signature);
    }

    @Override
    public byte[] nonce() {
      return nonce.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    public ByteBuf encode(ByteBufAllocator alloc) {
      return alloc
          .buffer(LENGTH)
          .writeByte(version)
          .writeBytes(nonce)
          .writeBytes(miner.toBytes())
          .writeBytes(signature)
          .writeInt(maxPayload)
          .writeLong(putWindow);
    }

    public static HelloAck decode(ByteBuf p) {
      expect(p, LENGTH, "HELLO_ACK");
      int version = p.readUnsignedByte();
      byte[] nonce = bytes(p, NONCE_LENGTH);
      AccountId miner = account(p);
      byte[] sig = bytes(p, AccountKeys.SIGNATURE_LENGTH);
      long maxPayload = p.readUnsignedInt();
      long window = p.readLong();
      if (maxPayload < 1024 || maxPayload > Integer.MAX_VALUE || window < 0) {
        throw malformed(
            "HELLO_ACK limits out of range: maxPayload " + maxPayload + ", window " + window);
      }
      return new HelloAck(version, nonce, miner, sig, (int) maxPayload, window);
    }
  }

  /**
   * AUTH, client to miner, request id 0: the client's signature over {@link
   * HandshakeSignatures#clientMessage}.
   *
   * <pre>
   * +-----------+
   * | signature |
   * | 64 bytes  |
   * +-----------+
   * </pre>
   */
  public static ByteBuf encodeAuth(ByteBufAllocator alloc, byte[] signature) {
    return alloc.buffer(AccountKeys.SIGNATURE_LENGTH).writeBytes(checkSignature(signature));
  }

  /** Parses AUTH. */
  public static byte[] decodeAuth(ByteBuf p) {
    expect(p, AccountKeys.SIGNATURE_LENGTH, "AUTH");
    return bytes(p, AccountKeys.SIGNATURE_LENGTH);
  }

  /**
   * PUT_BEGIN.
   *
   * <pre>
   * +-------------+--------+
   * | fragment id | length |
   * |  32 bytes   |  u64   |
   * +-------------+--------+
   * </pre>
   */
  public record PutBegin(Hash256 fragment, long length) {
    static final int LENGTH = Hash256.LENGTH + 8;

    public ByteBuf encode(ByteBufAllocator alloc) {
      return alloc.buffer(LENGTH).writeBytes(fragment.toBytes()).writeLong(length);
    }

    public static PutBegin decode(ByteBuf p) {
      expect(p, LENGTH, "PUT_BEGIN");
      Hash256 id = hash(p);
      long length = p.readLong();
      if (length < 0) {
        throw malformed("PUT_BEGIN length " + length + " is negative");
      }
      return new PutBegin(id, length);
    }
  }

  /**
   * GET. A length of 0xFFFFFFFF ({@link #TO_END}) reads from the offset to the end.
   *
   * <pre>
   * +-------------+--------+--------+
   * | fragment id | offset | length |
   * |  32 bytes   |  u64   |  u32   |
   * +-------------+--------+--------+
   * </pre>
   */
  public record GetRequest(Hash256 fragment, long offset, long length) {
    /** The length that means "to the end of the fragment". */
    public static final long TO_END = 0xFFFF_FFFFL;

    static final int LENGTH = Hash256.LENGTH + 12;

    public ByteBuf encode(ByteBufAllocator alloc) {
      return alloc
          .buffer(LENGTH)
          .writeBytes(fragment.toBytes())
          .writeLong(offset)
          .writeInt((int) length);
    }

    public static GetRequest decode(ByteBuf p) {
      expect(p, LENGTH, "GET");
      return new GetRequest(hash(p), p.readLong(), p.readUnsignedInt());
    }
  }

  /**
   * HAS and DELETE: just the fragment id.
   *
   * <pre>
   * +-------------+
   * | fragment id |
   * |  32 bytes   |
   * +-------------+
   * </pre>
   */
  public static ByteBuf encodeId(ByteBufAllocator alloc, Hash256 id) {
    return alloc.buffer(Hash256.LENGTH).writeBytes(id.toBytes());
  }

  /** Parses a fragment-id payload. */
  public static Hash256 decodeId(ByteBuf p, String what) {
    expect(p, Hash256.LENGTH, what);
    return hash(p);
  }

  /**
   * HAS_RESULT and DELETE_RESULT: one byte, 1 for yes and 0 for no.
   *
   * <pre>
   * +-----+
   * | yes |
   * | u8  |
   * +-----+
   * </pre>
   */
  public static ByteBuf encodeBoolean(ByteBufAllocator alloc, boolean value) {
    return alloc.buffer(1).writeByte(value ? 1 : 0);
  }

  /** Parses a one-byte answer. */
  public static boolean decodeBoolean(ByteBuf p, String what) {
    expect(p, 1, what);
    int b = p.readUnsignedByte();
    if (b > 1) {
      throw malformed(what + " answer byte " + b + " is neither 0 nor 1");
    }
    return b == 1;
  }

  /**
   * PROVE: leaf indices of a Merkle challenge, at most {@value #MAX_PROVE_LEAVES}.
   *
   * <pre>
   * +-------------+-------+------------------+
   * | fragment id | count | leaf index x cnt |
   * |  32 bytes   |  u16  |   u32 each       |
   * +-------------+-------+------------------+
   * </pre>
   */
  public record ProveRequest(Hash256 fragment, int[] leaves) {
    public ProveRequest {
      Objects.requireNonNull(fragment, "fragment");
      leaves = leaves.clone();
      if (leaves.length > MAX_PROVE_LEAVES) {
        throw new IllegalArgumentException(
            "at most " + MAX_PROVE_LEAVES + " leaves per PROVE, got " + leaves.length);
      }
    }

    @Override
    public int[] leaves() {
      return leaves.clone();
    }

    public ByteBuf encode(ByteBufAllocator alloc) {
      ByteBuf b = alloc.buffer(Hash256.LENGTH + 2 + 4 * leaves.length);
      b.writeBytes(fragment.toBytes()).writeShort(leaves.length);
      for (int leaf : leaves) {
        b.writeInt(leaf);
      }
      return b;
    }

    public static ProveRequest decode(ByteBuf p) {
      if (p.readableBytes() < Hash256.LENGTH + 2) {
        throw malformed("PROVE payload of " + p.readableBytes() + " bytes is too short");
      }
      Hash256 id = hash(p);
      int count = p.readUnsignedShort();
      if (count > MAX_PROVE_LEAVES) {
        throw malformed("PROVE asks for " + count + " leaves, at most " + MAX_PROVE_LEAVES);
      }
      expect(p, 4 * count, "PROVE leaf list");
      int[] leaves = new int[count];
      for (int i = 0; i < count; i++) {
        long leaf = p.readUnsignedInt();
        if (leaf > Integer.MAX_VALUE) {
          throw malformed("PROVE leaf index " + leaf + " out of range");
        }
        leaves[i] = (int) leaf;
      }
      return new ProveRequest(id, leaves);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ProveRequest r
          && r.fragment.equals(fragment)
          && Arrays.equals(r.leaves, leaves);
    }

    @Override
    public int hashCode() {
      return fragment.hashCode() * 31 + Arrays.hashCode(leaves);
    }
  }

  /**
   * PROOFS: one encoded {@link FragmentMerkle.Proof} per leaf asked for, in order.
   *
   * <pre>
   * +-------+--------+-------------+-----
   * | count | length | proof bytes | ... (count times)
   * |  u16  |  u16   |  length     |
   * +-------+--------+-------------+-----
   * </pre>
   */
  public static ByteBuf encodeProofs(ByteBufAllocator alloc, List<FragmentMerkle.Proof> proofs) {
    ByteBuf b = alloc.buffer();
    b.writeShort(proofs.size());
    for (FragmentMerkle.Proof proof : proofs) {
      byte[] enc = proof.encode();
      b.writeShort(enc.length).writeBytes(enc);
    }
    return b;
  }

  /** Parses PROOFS. */
  public static List<FragmentMerkle.Proof> decodeProofs(ByteBuf p) {
    need(p, 2, "PROOFS count");
    int count = p.readUnsignedShort();
    List<FragmentMerkle.Proof> proofs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      need(p, 2, "PROOFS length of proof " + i);
      int len = p.readUnsignedShort();
      need(p, len, "PROOFS proof " + i);
      try {
        proofs.add(FragmentMerkle.Proof.decode(bytes(p, len)));
      } catch (IllegalArgumentException e) {
        throw malformed("PROOFS proof " + i + ": " + e.getMessage());
      }
    }
    if (p.isReadable()) {
      throw malformed("PROOFS has " + p.readableBytes() + " trailing bytes");
    }
    return proofs;
  }

  /**
   * STATS_RESULT.
   *
   * <pre>
   * +-----------+------------+----------------+
   * | fragments | used bytes | capacity bytes |
   * |    u64    |    u64     |      u64       |
   * +-----------+------------+----------------+
   * </pre>
   */
  public record StatsResult(long fragments, long usedBytes, long capacityBytes) {
    static final int LENGTH = 24;

    public ByteBuf encode(ByteBufAllocator alloc) {
      return alloc
          .buffer(LENGTH)
          .writeLong(fragments)
          .writeLong(usedBytes)
          .writeLong(capacityBytes);
    }

    public static StatsResult decode(ByteBuf p) {
      expect(p, LENGTH, "STATS_RESULT");
      return new StatsResult(p.readLong(), p.readLong(), p.readLong());
    }
  }

  /**
   * ERROR. The message is UTF-8, cut to at most {@value #MAX_ERROR_MESSAGE} bytes.
   *
   * <pre>
   * +------+--------+--------------+
   * | code | length | message      |
   * | u16  |  u16   | length bytes |
   * +------+--------+--------------+
   * </pre>
   */
  public record ErrorMessage(ErrorCode code, String message) {
    public ByteBuf encode(ByteBufAllocator alloc) {
      byte[] text = message.getBytes(StandardCharsets.UTF_8);
      int len = Math.min(text.length, MAX_ERROR_MESSAGE);
      return alloc.buffer(4 + len).writeShort(code.code()).writeShort(len).writeBytes(text, 0, len);
    }

    public static ErrorMessage decode(ByteBuf p) {
      need(p, 4, "ERROR header");
      int code = p.readUnsignedShort();
      int len = p.readUnsignedShort();
      expect(p, len, "ERROR message");
      return new ErrorMessage(
          ErrorCode.ofCode(code), p.readCharSequence(len, StandardCharsets.UTF_8).toString());
    }
  }

  private static byte[] checkNonce(byte[] nonce) {
    if (nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException("a nonce has 32 bytes, got " + nonce.length);
    }
    return nonce.clone();
  }

  private static byte[] checkSignature(byte[] sig) {
    if (sig.length != AccountKeys.SIGNATURE_LENGTH) {
      throw new IllegalArgumentException("a signature has 64 bytes, got " + sig.length);
    }
    return sig.clone();
  }

  private static void expect(ByteBuf p, int length, String what) {
    if (p.readableBytes() != length) {
      throw malformed(what + " payload must be " + length + " bytes, got " + p.readableBytes());
    }
  }

  private static void need(ByteBuf p, int length, String what) {
    if (p.readableBytes() < length) {
      throw malformed(
          what + " truncated: need " + length + " bytes, " + p.readableBytes() + " left");
    }
  }

  private static ProtocolException malformed(String message) {
    return new ProtocolException(ErrorCode.MALFORMED_FRAME, message);
  }

  private static byte[] bytes(ByteBuf p, int n) {
    byte[] b = new byte[n];
    p.readBytes(b);
    return b;
  }

  private static Hash256 hash(ByteBuf p) {
    return Hash256.of(bytes(p, Hash256.LENGTH));
  }

  private static AccountId account(ByteBuf p) {
    return AccountId.of(bytes(p, AccountId.LENGTH));
  }
}
