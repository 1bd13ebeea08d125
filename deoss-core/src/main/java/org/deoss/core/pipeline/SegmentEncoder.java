package org.deoss.core.pipeline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.deoss.core.codec.ReedSolomon;
import org.deoss.core.crypto.SegmentCipher;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;

/**
 * The CPU half of a write: one plaintext segment in, n named fragments out.
 *
 * <ol>
 *   <li>encrypt with the object's {@link SegmentCipher} (AES-256-GCM chunks);
 *   <li>split the ciphertext into k data shards of ⌈E/k⌉ bytes, the last one zero-filled;
 *   <li>Reed-Solomon: m parity shards from the k data shards;
 *   <li>name each fragment by its Merkle root over 1 KiB leaves (one SHA-256 pass over it);
 *   <li>segment hash = SHA-256("deoss segment v1" ‖ plain length ‖ encrypted length ‖ k ‖ m ‖ the n
 *       fragment ids): it commits to every byte of the segment without hashing the segment again.
 * </ol>
 *
 * <p>Not thread-safe: it owns one encryption buffer. Use one encoder per writing thread.
 */
public final class SegmentEncoder {
  private static final byte[] SEGMENT_LABEL =
      "deoss segment v1".getBytes(StandardCharsets.US_ASCII);

  private final PipelineConfig config;
  private final ReedSolomon codec;
  private final MessageDigest digest = Hash256.newDigest();
  private byte[] encrypted = new byte[0];

  public SegmentEncoder(PipelineConfig config) {
    this.config = config;
    this.codec = ReedSolomon.create(config.dataShards(), config.parityShards());
  }

  /** A workspace large enough for a full segment of this configuration. */
  public EncodedSegment newWorkspace(SegmentCipher cipher) {
    return newWorkspace(cipher, config.segmentSize());
  }

  /**
   * A workspace large enough for a segment of {@code plainLength} bytes: small objects get small
   * buffers (a 64 KiB object must not cost the 128 MiB of a full 32 MiB segment).
   */
  public EncodedSegment newWorkspace(SegmentCipher cipher, int plainLength) {
    return new EncodedSegment(
        config.totalShards(), shardLength(cipher.encryptedLength(plainLength)));
  }

  /** Whether {@code ws} can hold a segment of {@code plainLength} bytes. */
  boolean fits(EncodedSegment ws, SegmentCipher cipher, int plainLength) {
    return ws.shards[0].length >= shardLength(cipher.encryptedLength(plainLength));
  }

  int shardLength(int encryptedLength) {
    int k = config.dataShards();
    return (encryptedLength + k - 1) / k;
  }

  /**
   * Encodes segment {@code index} of plaintext {@code plain[off, off+len)} into {@code out}.
   *
   * @throws IllegalArgumentException if {@code len} exceeds the segment size
   */
  public void encode(
      SegmentCipher cipher,
      int index,
      byte[] plain,
      int off,
      int len,
      SecureRandom random,
      EncodedSegment out) {
    if (len > config.segmentSize()) {
      throw new IllegalArgumentException(
          "segment "
              + index
              + " has "
              + len
              + " bytes, more than the segment size "
              + config.segmentSize());
    }
    int encLength = cipher.encryptedLength(len);
    if (encrypted.length < encLength) {
      encrypted = new byte[encLength];
    }
    int written = cipher.encrypt(index, plain, off, len, encrypted, 0, random);
    if (written != encLength) {
      throw new IllegalStateException("cipher wrote " + written + " bytes, expected " + encLength);
    }
    int k = config.dataShards();
    int shardLength = shardLength(encLength);
    if (shardLength > out.shards[0].length) {
      throw new IllegalArgumentException("workspace too small for segment " + index);
    }
    for (int i = 0; i < k; i++) {
      int from = i * shardLength;
      int n = Math.max(0, Math.min(shardLength, encLength - from));
      System.arraycopy(encrypted, from, out.shards[i], 0, n);
      if (n < shardLength) {
        Arrays.fill(out.shards[i], n, shardLength, (byte) 0);
      }
    }
    codec.encode(out.shards, 0, shardLength);
    for (int i = 0; i < out.shards.length; i++) {
      out.ids[i] = FragmentMerkle.root(out.shards[i], 0, shardLength);
    }
    out.index = index;
    out.plainLength = len;
    out.encryptedLength = encLength;
    out.shardLength = shardLength;
    out.segmentHash =
        segmentHash(digest, len, encLength, config.dataShards(), config.parityShards(), out.ids);
  }

  /** The segment hash: SHA-256 over a label, the lengths, the code and the n fragment ids. */
  static Hash256 segmentHash(
      MessageDigest md,
      int plainLength,
      int encLength,
      int dataShards,
      int parityShards,
      Hash256[] ids) {
    md.reset();
    md.update(SEGMENT_LABEL);
    ByteBuffer header = ByteBuffer.allocate(10).order(ByteOrder.BIG_ENDIAN);
    header.putInt(plainLength).putInt(encLength);
    header.put((byte) dataShards).put((byte) parityShards);
    md.update(header.array());
    for (Hash256 id : ids) {
      id.updateDigest(md);
    }
    return Hash256.wrapDigest(md);
  }
}
