package org.deoss.core.pipeline;

import org.deoss.core.codec.ReedSolomon;
import org.deoss.core.crypto.SegmentCipher;

/**
 * The CPU half of a read: k verified fragments of a segment in, plaintext out. Rebuilds missing
 * data shards from parity only when some are missing (a systematic code needs no decoding
 * otherwise), joins the data shards into the encrypted segment and decrypts it, which authenticates
 * every chunk.
 *
 * <p>Thread-safe: it keeps no state between calls beyond the (thread-safe) codec.
 */
public final class SegmentDecoder {
  private final ReedSolomon codec;

  public SegmentDecoder(int dataShards, int parityShards) {
    this.codec = ReedSolomon.create(dataShards, parityShards);
  }

  /**
   * Decodes segment {@code index} into {@code out[0, plainLength)}.
   *
   * @param shards the n shard arrays, each at least {@code shardLength} long where present; an
   *     absent data shard may be {@code null} (it is allocated) and is overwritten
   * @param present which shards hold verified fragment bytes; at least k must
   * @throws org.deoss.core.crypto.TamperedDataException if a chunk fails authentication
   */
  public void decode(
      SegmentCipher cipher,
      int index,
      int plainLength,
      int encryptedLength,
      int shardLength,
      byte[][] shards,
      boolean[] present,
      byte[] out) {
    int k = codec.dataShards();
    boolean allData = true;
    for (int i = 0; i < k; i++) {
      allData &= present[i];
    }
    if (!allData) {
      for (int i = 0; i < k; i++) {
        if (!present[i] && (shards[i] == null || shards[i].length < shardLength)) {
          shards[i] = new byte[shardLength];
        }
      }
      codec.reconstructData(shards, present, 0, shardLength);
    }
    byte[] encrypted = new byte[encryptedLength];
    for (int i = 0, off = 0; i < k && off < encryptedLength; i++, off += shardLength) {
      System.arraycopy(shards[i], 0, encrypted, off, Math.min(shardLength, encryptedLength - off));
    }
    int n = cipher.decrypt(index, encrypted, 0, encryptedLength, out, 0);
    if (n != plainLength) {
      throw new IllegalStateException(
          "segment " + index + " decrypted to " + n + " bytes, the manifest says " + plainLength);
    }
  }
}
