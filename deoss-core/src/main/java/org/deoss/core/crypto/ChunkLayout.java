package org.deoss.core.crypto;

/**
 * Where the bytes of one encrypted segment lie (see {@link SegmentCipher} for the format): the
 * header, then {@link #chunkCount()} chunks of {@code chunkSize + 16} bytes, the last one shorter.
 * Readers use it to fetch only the chunks that cover a plaintext range: fetch the header ({@code
 * [0, HEADER_LENGTH)}) and {@link #encryptedSpan(long, int)}, concatenate them, and pass the result
 * to {@link SegmentCipher#decryptRange}. Immutable.
 */
public final class ChunkLayout {
  /** Bytes of encrypted segment that hold the chunks covering a plaintext range. */
  public record Span(int offset, int length) {}

  private final int chunkSize;
  private final int plaintextLength;
  private final int chunkCount;
  private final int encryptedLength;

  private ChunkLayout(int chunkSize, int plaintextLength, int chunkCount, int encryptedLength) {
    this.chunkSize = chunkSize;
    this.plaintextLength = plaintextLength;
    this.chunkCount = chunkCount;
    this.encryptedLength = encryptedLength;
  }

  /**
   * The layout of a segment of {@code plaintextLength} bytes in chunks of {@code chunkSize}.
   *
   * @throws IllegalArgumentException if the chunk size is outside 4 KiB..4 MiB, the length is
   *     negative, or the encrypted segment would exceed {@link Integer#MAX_VALUE} bytes
   */
  public static ChunkLayout of(int chunkSize, int plaintextLength) {
    SegmentCipher.checkChunkSize(chunkSize);
    if (plaintextLength < 0) {
      throw new IllegalArgumentException("negative segment length " + plaintextLength);
    }
    int count =
        plaintextLength == 0 ? 1 : (int) ((plaintextLength + (long) chunkSize - 1) / chunkSize);
    long total =
        SegmentCipher.HEADER_LENGTH
            + (long) plaintextLength
            + (long) count * SegmentCipher.TAG_LENGTH;
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "a segment of "
              + plaintextLength
              + " bytes is too large to encrypt ("
              + total
              + " bytes)");
    }
    return new ChunkLayout(chunkSize, plaintextLength, count, (int) total);
  }

  /** Plaintext bytes per chunk (the last chunk may hold fewer). */
  public int chunkSize() {
    return chunkSize;
  }

  /** Plaintext length of the segment. */
  public int plaintextLength() {
    return plaintextLength;
  }

  /** Number of chunks: at least one (an empty segment has one empty chunk). */
  public int chunkCount() {
    return chunkCount;
  }

  /** Length of the whole encrypted segment: header, chunks and their tags. */
  public int encryptedLength() {
    return encryptedLength;
  }

  /** Offset of chunk {@code chunk} in the encrypted segment. */
  public int chunkOffset(int chunk) {
    checkChunk(chunk);
    return SegmentCipher.HEADER_LENGTH + chunk * (chunkSize + SegmentCipher.TAG_LENGTH);
  }

  /** Plaintext bytes in chunk {@code chunk}. */
  public int chunkPlaintextLength(int chunk) {
    checkChunk(chunk);
    return chunk < chunkCount - 1 ? chunkSize : plaintextLength - chunk * chunkSize;
  }

  /** Encrypted bytes of chunk {@code chunk}: its plaintext length plus the 16-byte tag. */
  public int chunkEncryptedLength(int chunk) {
    return chunkPlaintextLength(chunk) + SegmentCipher.TAG_LENGTH;
  }

  /**
   * The encrypted bytes (offset in the encrypted segment and length) of the chunks covering
   * plaintext bytes {@code [plainFrom, plainFrom + plainLen)}. An empty range covers no chunk: its
   * span is empty and starts after the header.
   *
   * @throws IllegalArgumentException if the range is not inside the segment
   */
  public Span encryptedSpan(long plainFrom, int plainLen) {
    checkRange(plainFrom, plainLen);
    if (plainLen == 0) {
      return new Span(SegmentCipher.HEADER_LENGTH, 0);
    }
    int first = (int) (plainFrom / chunkSize);
    int last = (int) ((plainFrom + plainLen - 1) / chunkSize);
    int start = chunkOffset(first);
    int end = chunkOffset(last) + chunkEncryptedLength(last);
    return new Span(start, end - start);
  }

  /**
   * What {@link SegmentCipher#decryptRange} expects for this range: the header followed by the
   * span's bytes, this many in all.
   */
  public int rangeInputLength(long plainFrom, int plainLen) {
    return SegmentCipher.HEADER_LENGTH + encryptedSpan(plainFrom, plainLen).length();
  }

  private void checkRange(long plainFrom, int plainLen) {
    if (plainFrom < 0 || plainLen < 0 || plainFrom + plainLen > plaintextLength) {
      throw new IllegalArgumentException(
          "plaintext range ["
              + plainFrom
              + ", "
              + (plainFrom + plainLen)
              + ") is not inside a segment of "
              + plaintextLength
              + " bytes");
    }
  }

  private void checkChunk(int chunk) {
    if (chunk < 0 || chunk >= chunkCount) {
      throw new IllegalArgumentException(
          "chunk " + chunk + " does not exist; the segment has " + chunkCount + " chunks");
    }
  }

  @Override
  public String toString() {
    return "ChunkLayout(chunkSize="
        + chunkSize
        + ", plaintextLength="
        + plaintextLength
        + ", chunks="
        + chunkCount
        + ", encryptedLength="
        + encryptedLength
        + ")";
  }
}
