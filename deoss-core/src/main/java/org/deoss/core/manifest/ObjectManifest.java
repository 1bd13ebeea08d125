package org.deoss.core.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deoss.core.hash.Hash256;

/**
 * How one version of an object is stored. Segment {@code i} holds plaintext bytes {@code [i*S,
 * min(size, (i+1)*S))} where {@code S = segmentSize}; the last segment is not padded. An empty
 * object has no segments and the fid {@link #EMPTY_FID} (SHA-256 of nothing).
 */
public record ObjectManifest(
    ObjectId objectId,
    long size,
    int segmentSize,
    int dataShards,
    int parityShards,
    int chunkSize,
    Hash256 fid,
    List<SegmentRef> segments) {

  /** Smallest segment size: 1 MiB. */
  public static final int MIN_SEGMENT_SIZE = 1 << 20;

  /** Largest segment size: 64 MiB. */
  public static final int MAX_SEGMENT_SIZE = 64 << 20;

  /** The fid of an empty object. */
  public static final Hash256 EMPTY_FID = Hash256.digest(new byte[0]);

  public ObjectManifest {
    Objects.requireNonNull(objectId, "objectId");
    Objects.requireNonNull(fid, "fid");
    if (size < 0) {
      throw new IllegalArgumentException("object size must not be negative, got " + size);
    }
    if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
      throw new IllegalArgumentException(
          "segment size must be 1..64 MiB, got " + segmentSize + " bytes");
    }
    if (dataShards < 1 || parityShards < 1 || dataShards + parityShards > 255) {
      throw new IllegalArgumentException(
          "coding k=" + dataShards + " m=" + parityShards + " is outside k>=1, m>=1, k+m<=255");
    }
    segments = List.copyOf(segments);
    long expected = segmentCount(size, segmentSize);
    if (segments.size() != expected) {
      throw new IllegalArgumentException(
          "an object of "
              + size
              + " bytes in segments of "
              + segmentSize
              + " has "
              + expected
              + " segments, the manifest lists "
              + segments.size());
    }
    for (int i = 0; i < segments.size(); i++) {
      SegmentRef s = segments.get(i);
      if (s.index() != i) {
        throw new IllegalArgumentException("segment at position " + i + " has index " + s.index());
      }
      long plain = Math.min(segmentSize, size - (long) i * segmentSize);
      if (s.plainLength() != plain) {
        throw new IllegalArgumentException(
            "segment " + i + " should hold " + plain + " bytes, holds " + s.plainLength());
      }
      if (s.fragments().size() != dataShards + parityShards) {
        throw new IllegalArgumentException(
            "segment "
                + i
                + " has "
                + s.fragments().size()
                + " fragments, expected "
                + (dataShards + parityShards));
      }
    }
    if (segments.isEmpty() && !fid.equals(EMPTY_FID)) {
      throw new IllegalArgumentException("an empty object must have the empty fid");
    }
  }

  /** How many segments an object of {@code size} bytes has. */
  public static long segmentCount(long size, int segmentSize) {
    return (size + segmentSize - 1) / segmentSize;
  }

  /** The segment holding plaintext byte {@code offset}. */
  public int segmentOf(long offset) {
    if (offset < 0 || offset >= size) {
      throw new IllegalArgumentException("offset " + offset + " is outside 0.." + size);
    }
    return (int) (offset / segmentSize);
  }

  /** Bytes stored on miners, all fragments of all segments. */
  public long storedBytes() {
    long total = 0;
    for (SegmentRef s : segments) {
      for (FragmentRef f : s.fragments()) {
        total += f.length();
      }
    }
    return total;
  }

  /** A copy with segment {@code index} replaced (an edit re-encoded that segment only). */
  public ObjectManifest withSegment(SegmentRef replacement, Hash256 newFid) {
    List<SegmentRef> copy = new ArrayList<>(segments);
    copy.set(replacement.index(), replacement);
    return new ObjectManifest(
        objectId, size, segmentSize, dataShards, parityShards, chunkSize, newFid, copy);
  }
}
