package org.deoss.core.pipeline;

import java.nio.ByteBuffer;
import org.deoss.core.hash.Hash256;

/**
 * The n fragments of one encoded segment, with their ids and the segment hash. A reusable
 * workspace: {@link SegmentEncoder#encode} overwrites it, so a writer keeps a small pool of them
 * and reuses one only after its fragments are stored.
 */
public final class EncodedSegment {
  final byte[][] shards;
  final Hash256[] ids;
  int index;
  int plainLength;
  int encryptedLength;
  int shardLength;
  Hash256 segmentHash;

  EncodedSegment(int totalShards, int shardCapacity) {
    shards = new byte[totalShards][shardCapacity];
    ids = new Hash256[totalShards];
  }

  public int index() {
    return index;
  }

  public int plainLength() {
    return plainLength;
  }

  public int encryptedLength() {
    return encryptedLength;
  }

  /** Bytes in each fragment (the encrypted segment divided by k, rounded up). */
  public int fragmentLength() {
    return shardLength;
  }

  public int fragmentCount() {
    return shards.length;
  }

  /** Fragment {@code i}: a read-only view, valid until this workspace is encoded into again. */
  public ByteBuffer fragment(int i) {
    return ByteBuffer.wrap(shards[i], 0, shardLength).asReadOnlyBuffer();
  }

  /** The id (Merkle root over 1 KiB leaves) of fragment {@code i}. */
  public Hash256 fragmentId(int i) {
    return ids[i];
  }

  public Hash256 segmentHash() {
    return segmentHash;
  }
}
