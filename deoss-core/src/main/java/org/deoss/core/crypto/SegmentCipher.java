package org.deoss.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Chunked AES-256-GCM encryption of the segments of one object.
 *
 * <h2>Format of one encrypted segment</h2>
 *
 * <pre>
 *  header (28 bytes, also the AAD of every chunk)
 *  0        1                 4                   8                   12                        28
 *  +--------+-----------------+-------------------+-------------------+-------------------------+
 *  | 0x01   | 0x00 0x00 0x00  | chunk size C      | plaintext length L| salt (16 random bytes)  |
 *  | version| reserved        | u32 big-endian    | u32 big-endian    |                         |
 *  +--------+-----------------+-------------------+-------------------+-------------------------+
 *
 *  chunks: n = max(1, ceil(L / C)); chunk i starts at 28 + i * (C + 16)
 *  +----------------+-------+----------------+-------+-- ... --+-------------------+---------+
 *  | ciphertext 0   | tag 0 | ciphertext 1   | tag 1 |         | ciphertext n-1    | tag n-1 |
 *  | C bytes        | 16 B  | C bytes        | 16 B  |         | 1..C (0 if L = 0) | 16 B    |
 *  +----------------+-------+----------------+-------+-- ... --+-------------------+---------+
 *  encrypted length = 28 + L + 16 * n
 * </pre>
 *
 * <h2>Keys, nonces and what they bind</h2>
 *
 * <ul>
 *   <li>Segment key: {@code K = HKDF-SHA256(ikm = DEK, salt = header salt, info = "deoss segment
 *       v1" || objectId (16 bytes) || segmentIndex (u64 big-endian), 32 bytes)}. The salt is fresh
 *       for every encryption, so re-encrypting an edited segment under the same DEK never reuses a
 *       (key, nonce) pair; the object id and segment index in {@code info} make a segment moved to
 *       another position or object fail to open.
 *   <li>Nonce of chunk {@code i} (12 bytes): {@code final || 0x00 0x00 0x00 || i (u64 big-endian)},
 *       where {@code final} is 0x01 for the last chunk and 0x00 otherwise. Chunks cannot be
 *       reordered, and a non-final chunk cannot pose as the end (truncation).
 *   <li>AAD of every chunk: the 28 header bytes, so the version, chunk size, plaintext length and
 *       salt are authenticated by each chunk. Input shorter or longer than the header's length
 *       promises (a dropped, truncated or appended chunk) is refused before any chunk is opened;
 *       rewriting the header's length to match breaks every chunk's tag.
 *   <li>Tag: the 16-byte GCM tag after each chunk's ciphertext.
 * </ul>
 *
 * <p>Decryption follows the chunk size written in the header, so segments written with another
 * chunk size still open; {@link #encryptedLength}, {@link #plaintextLength} and {@link #layout}
 * describe segments written by this cipher.
 *
 * <p>Ranged reads fetch the header and only the chunks covering the wanted bytes ({@link
 * ChunkLayout#encryptedSpan}) and open them with {@link #decryptRange}.
 *
 * <h2>Performance</h2>
 *
 * Chunks of 64 KiB to 1 MiB keep every JDK GCM call short enough to run on the JIT's AES-GCM
 * intrinsic; on JDK 17 one {@code doFinal} over a whole 32 MiB segment stays about fifty times
 * slower (see {@code CipherBench} in the tests module).
 *
 * <h2>Threads</h2>
 *
 * Instances are immutable and thread-safe: the JDK {@link Cipher} is cached per thread, never
 * shared. The cipher reads its {@link DataKey} on every call; destroying the key disables it.
 */
public final class SegmentCipher {
  /** Length of the segment header. */
  public static final int HEADER_LENGTH = 28;

  /** Length of each chunk's GCM tag. */
  public static final int TAG_LENGTH = 16;

  /** Length of the per-segment salt. */
  public static final int SALT_LENGTH = 16;

  /** Length of an object id. */
  public static final int OBJECT_ID_LENGTH = 16;

  /** Default chunk size: 64 KiB. */
  public static final int DEFAULT_CHUNK_SIZE = 64 * 1024;

  /** Smallest chunk size: 4 KiB. */
  public static final int MIN_CHUNK_SIZE = 4 * 1024;

  /** Largest chunk size: 4 MiB. */
  public static final int MAX_CHUNK_SIZE = 4 * 1024 * 1024;

  static final byte VERSION = 1;
  private static final int NONCE_LENGTH = 12;
  private static final byte[] INFO_LABEL = "deoss segment v1".getBytes(StandardCharsets.US_ASCII);
  private static final ThreadLocal<Cipher> AES_GCM =
      ThreadLocal.withInitial(SegmentCipher::newCipher);

  private final DataKey key;
  private final byte[] objectId;
  private final int chunkSize;

  private SegmentCipher(DataKey key, byte[] objectId, int chunkSize) {
    this.key = key;
    this.objectId = objectId;
    this.chunkSize = chunkSize;
  }

  /**
   * A cipher for the segments of one object.
   *
   * @param key the object's data key (not copied: destroying it disables this cipher)
   * @param objectId the object's 16-byte random id (copied)
   * @param chunkSize plaintext bytes per chunk, {@value #MIN_CHUNK_SIZE}..{@value #MAX_CHUNK_SIZE}
   */
  public static SegmentCipher create(DataKey key, byte[] objectId, int chunkSize) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(objectId, "objectId");
    if (objectId.length != OBJECT_ID_LENGTH) {
      throw new IllegalArgumentException("an object id has 16 bytes, got " + objectId.length);
    }
    checkChunkSize(chunkSize);
    key.raw(); // fails now if already destroyed
    return new SegmentCipher(key, objectId.clone(), chunkSize);
  }

  /** The chunk size this cipher encrypts with. */
  public int chunkSize() {
    return chunkSize;
  }

  /** The layout of a segment of {@code plaintextLength} bytes encrypted by this cipher. */
  public ChunkLayout layout(int plaintextLength) {
    return ChunkLayout.of(chunkSize, plaintextLength);
  }

  /** Length of the encrypted form of a segment of {@code plaintextLength} bytes. */
  public int encryptedLength(int plaintextLength) {
    return layout(plaintextLength).encryptedLength();
  }

  /**
   * Plaintext length of an encrypted segment of {@code encryptedLength} bytes.
   *
   * @throws IllegalArgumentException if no segment encrypts to that length with this chunk size
   */
  public int plaintextLength(int encryptedLength) {
    long body = (long) encryptedLength - HEADER_LENGTH;
    if (body >= TAG_LENGTH) {
      long perChunk = chunkSize + TAG_LENGTH;
      long chunks = (body + perChunk - 1) / perChunk;
      long plain = body - chunks * TAG_LENGTH;
      if (plain >= 0 && layout((int) plain).encryptedLength() == encryptedLength) {
        return (int) plain;
      }
    }
    throw new IllegalArgumentException(
        "no segment encrypts to "
            + encryptedLength
            + " bytes with "
            + chunkSize
            + "-byte chunks (header "
            + HEADER_LENGTH
            + " bytes, "
            + TAG_LENGTH
            + "-byte tag per chunk)");
  }

  /**
   * Encrypts segment {@code segmentIndex} of {@code len} bytes from {@code plain[off..]} into
   * {@code out[outOff..]}, which must have room for {@link #encryptedLength(int)
   * encryptedLength(len)} bytes and must not overlap the input.
   *
   * @param random source of the segment's fresh salt
   * @return bytes written: {@code encryptedLength(len)}
   * @throws IllegalStateException if {@code random} repeats the salt of this thread's previous
   *     encryption of the same segment (a broken random source): the JDK refuses to reuse a GCM
   *     nonce under the same key, and so does this method
   */
  public int encrypt(
      long segmentIndex,
      byte[] plain,
      int off,
      int len,
      byte[] out,
      int outOff,
      SecureRandom random) {
    checkSegmentIndex(segmentIndex);
    Objects.checkFromIndexSize(off, len, plain.length);
    Objects.requireNonNull(random, "random");
    ChunkLayout layout = layout(len);
    checkOutput(out, outOff, layout.encryptedLength());
    byte[] salt = new byte[SALT_LENGTH];
    random.nextBytes(salt);
    byte[] header = header(chunkSize, len, salt);
    System.arraycopy(header, 0, out, outOff, HEADER_LENGTH);
    SecretKeySpec segmentKey = segmentKey(segmentIndex, salt);
    Cipher cipher = AES_GCM.get();
    byte[] nonce = new byte[NONCE_LENGTH];
    int in = off;
    int pos = outOff + HEADER_LENGTH;
    int chunks = layout.chunkCount();
    try {
      for (int i = 0; i < chunks; i++) {
        int plainLength = layout.chunkPlaintextLength(i);
        setNonce(nonce, i, i == chunks - 1);
        cipher.init(Cipher.ENCRYPT_MODE, segmentKey, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
        cipher.updateAAD(header);
        pos += cipher.doFinal(plain, in, plainLength, out, pos);
        in += plainLength;
      }
    } catch (InvalidAlgorithmParameterException e) {
      throw new IllegalStateException(
          "segment " + segmentIndex + ": salt repeated, refusing to reuse a GCM nonce", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed on segment " + segmentIndex, e);
    }
    return pos - outOff;
  }

  /**
   * Decrypts the whole encrypted segment {@code segmentIndex} held in {@code enc[off..off+len)}
   * into {@code out[outOff..]}, which must have room for the plaintext length its header declares
   * and should not overlap the input. On failure the contents of {@code out} are unspecified.
   *
   * @return plaintext bytes written
   * @throws TamperedDataException if the segment does not authenticate: any changed, dropped,
   *     reordered or appended byte, another segment index, object id or key
   */
  public int decrypt(long segmentIndex, byte[] enc, int off, int len, byte[] out, int outOff) {
    checkSegmentIndex(segmentIndex);
    Objects.checkFromIndexSize(off, len, enc.length);
    Header header = Header.read(segmentIndex, enc, off, len);
    ChunkLayout layout = header.layout(segmentIndex);
    checkEncryptedLength(segmentIndex, layout, len);
    checkOutput(out, outOff, header.plaintextLength);
    SecretKeySpec segmentKey = segmentKey(segmentIndex, header.salt);
    int chunks = layout.chunkCount();
    int pos = outOff;
    for (int i = 0; i < chunks; i++) {
      pos +=
          openChunk(
              segmentIndex,
              segmentKey,
              header,
              layout,
              i,
              enc,
              off + layout.chunkOffset(i),
              out,
              pos);
    }
    return pos - outOff;
  }

  /**
   * Decrypts plaintext bytes {@code [plainFrom, plainFrom + plainLen)} of segment {@code
   * segmentIndex}, opening only the chunks that cover them. {@code enc[off..off+encLen)} holds the
   * segment's header followed directly by those chunks: exactly {@link
   * ChunkLayout#rangeInputLength(long, int)} bytes, the header then {@link
   * ChunkLayout#encryptedSpan(long, int)} of the encrypted segment. The chunk size and plaintext
   * length come from the header. An empty range opens no chunk.
   *
   * @return plaintext bytes written: {@code plainLen}
   * @throws IllegalArgumentException if the range start or length is negative
   * @throws TamperedDataException if a covering chunk does not authenticate, the range lies beyond
   *     the length the header declares, or the input has the wrong length for the range
   */
  public int decryptRange(
      long segmentIndex,
      byte[] enc,
      int off,
      int encLen,
      long plainFrom,
      int plainLen,
      byte[] out,
      int outOff) {
    checkSegmentIndex(segmentIndex);
    Objects.checkFromIndexSize(off, encLen, enc.length);
    Header header = Header.read(segmentIndex, enc, off, encLen);
    ChunkLayout layout = header.layout(segmentIndex);
    if (plainFrom < 0 || plainLen < 0) {
      throw new IllegalArgumentException(
          "negative plaintext range start " + plainFrom + " or length " + plainLen);
    }
    if (plainFrom + plainLen > header.plaintextLength) {
      throw new TamperedDataException(
          "segment "
              + segmentIndex
              + ": plaintext range ["
              + plainFrom
              + ", "
              + (plainFrom + plainLen)
              + ") is beyond the "
              + header.plaintextLength
              + " bytes its header declares (damaged header, or a range for another segment)");
    }
    checkOutput(out, outOff, plainLen);
    ChunkLayout.Span span = layout.encryptedSpan(plainFrom, plainLen);
    if (encLen != HEADER_LENGTH + span.length()) {
      throw new TamperedDataException(
          "segment "
              + segmentIndex
              + ": plaintext range ["
              + plainFrom
              + ", "
              + (plainFrom + plainLen)
              + ") needs the header and "
              + span.length()
              + " chunk bytes ("
              + (HEADER_LENGTH + span.length())
              + " in all), got "
              + encLen);
    }
    if (plainLen == 0) {
      return 0;
    }
    SecretKeySpec segmentKey = segmentKey(segmentIndex, header.salt);
    int first = (int) (plainFrom / header.chunkSize);
    int last = (int) ((plainFrom + plainLen - 1) / header.chunkSize);
    long end = plainFrom + plainLen;
    byte[] scratch = null;
    int pos = outOff;
    for (int i = first; i <= last; i++) {
      int chunkAt = off + HEADER_LENGTH + layout.chunkOffset(i) - span.offset();
      long chunkStart = (long) i * header.chunkSize;
      int chunkPlain = layout.chunkPlaintextLength(i);
      int from = (int) Math.max(0, plainFrom - chunkStart);
      int to = (int) Math.min(chunkPlain, end - chunkStart);
      if (from == 0 && to == chunkPlain) {
        pos += openChunk(segmentIndex, segmentKey, header, layout, i, enc, chunkAt, out, pos);
      } else {
        if (scratch == null) {
          scratch = new byte[header.chunkSize];
        }
        openChunk(segmentIndex, segmentKey, header, layout, i, enc, chunkAt, scratch, 0);
        System.arraycopy(scratch, from, out, pos, to - from);
        pos += to - from;
      }
    }
    if (scratch != null) {
      Arrays.fill(scratch, (byte) 0);
    }
    return pos - outOff;
  }

  private int openChunk(
      long segmentIndex,
      SecretKeySpec segmentKey,
      Header header,
      ChunkLayout layout,
      int chunk,
      byte[] enc,
      int at,
      byte[] out,
      int outAt) {
    Cipher cipher = AES_GCM.get();
    byte[] nonce = new byte[NONCE_LENGTH];
    setNonce(nonce, chunk, chunk == layout.chunkCount() - 1);
    try {
      cipher.init(Cipher.DECRYPT_MODE, segmentKey, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
      cipher.updateAAD(header.bytes);
      return cipher.doFinal(enc, at, layout.chunkEncryptedLength(chunk), out, outAt);
    } catch (AEADBadTagException e) {
      throw new TamperedDataException(
          "segment "
              + segmentIndex
              + " chunk "
              + chunk
              + " of "
              + layout.chunkCount()
              + " failed authentication (altered, reordered, moved from another segment or"
              + " object, or wrong data key)",
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "AES-GCM failed on segment " + segmentIndex + " chunk " + chunk, e);
    }
  }

  private SecretKeySpec segmentKey(long segmentIndex, byte[] salt) {
    byte[] info = new byte[INFO_LABEL.length + OBJECT_ID_LENGTH + Long.BYTES];
    System.arraycopy(INFO_LABEL, 0, info, 0, INFO_LABEL.length);
    System.arraycopy(objectId, 0, info, INFO_LABEL.length, OBJECT_ID_LENGTH);
    putLong(info, INFO_LABEL.length + OBJECT_ID_LENGTH, segmentIndex);
    byte[] derived = Hkdf.derive(key.raw(), salt, info, 32);
    SecretKeySpec spec = new SecretKeySpec(derived, "AES");
    Arrays.fill(derived, (byte) 0);
    return spec;
  }

  static byte[] header(int chunkSize, int plaintextLength, byte[] salt) {
    byte[] header = new byte[HEADER_LENGTH];
    header[0] = VERSION;
    putInt(header, 4, chunkSize);
    putInt(header, 8, plaintextLength);
    System.arraycopy(salt, 0, header, 12, SALT_LENGTH);
    return header;
  }

  static void setNonce(byte[] nonce, long chunk, boolean last) {
    nonce[0] = (byte) (last ? 1 : 0);
    putLong(nonce, 4, chunk);
  }

  private static void checkEncryptedLength(long segmentIndex, ChunkLayout layout, int len) {
    int expected = layout.encryptedLength();
    if (len == expected) {
      return;
    }
    int perChunk = layout.chunkSize() + TAG_LENGTH;
    if (len < expected) {
      int chunk = (len - HEADER_LENGTH) / perChunk;
      throw new TamperedDataException(
          "segment "
              + segmentIndex
              + " chunk "
              + chunk
              + " of "
              + layout.chunkCount()
              + " is truncated or missing: "
              + len
              + " encrypted bytes, the header declares "
              + layout.plaintextLength()
              + " plaintext bytes, which take "
              + expected);
    }
    throw new TamperedDataException(
        "segment "
            + segmentIndex
            + " has "
            + (len - expected)
            + " bytes after its final chunk "
            + (layout.chunkCount() - 1)
            + ": "
            + len
            + " encrypted bytes, the header declares "
            + layout.plaintextLength()
            + " plaintext bytes, which take "
            + expected);
  }

  private static void checkOutput(byte[] out, int outOff, int needed) {
    Objects.requireNonNull(out, "out");
    if (outOff < 0 || outOff > out.length || out.length - outOff < needed) {
      throw new IllegalArgumentException(
          "output buffer of "
              + out.length
              + " bytes at offset "
              + outOff
              + " has no room for "
              + needed
              + " bytes");
    }
  }

  private static void checkSegmentIndex(long segmentIndex) {
    if (segmentIndex < 0) {
      throw new IllegalArgumentException("negative segment index " + segmentIndex);
    }
  }

  static void checkChunkSize(int chunkSize) {
    if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException(
          "chunk size "
              + chunkSize
              + " is outside "
              + MIN_CHUNK_SIZE
              + ".."
              + MAX_CHUNK_SIZE
              + " bytes");
    }
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static void putLong(byte[] b, int at, long v) {
    putInt(b, at, (int) (v >>> 32));
    putInt(b, at + 4, (int) v);
  }

  private static int getInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM/NoPadding is unavailable", e);
    }
  }

  /** A parsed, not yet authenticated header. */
  private static final class Header {
    final byte[] bytes;
    final int chunkSize;
    final int plaintextLength;
    final byte[] salt;

    private Header(byte[] bytes, int chunkSize, int plaintextLength, byte[] salt) {
      this.bytes = bytes;
      this.chunkSize = chunkSize;
      this.plaintextLength = plaintextLength;
      this.salt = salt;
    }

    ChunkLayout layout(long segmentIndex) {
      try {
        return ChunkLayout.of(chunkSize, plaintextLength);
      } catch (IllegalArgumentException e) {
        throw new TamperedDataException(
            "segment " + segmentIndex + " header: " + e.getMessage(), e);
      }
    }

    static Header read(long segmentIndex, byte[] enc, int off, int len) {
      if (len < HEADER_LENGTH) {
        throw new TamperedDataException(
            "segment "
                + segmentIndex
                + " header is truncated: "
                + len
                + " bytes, a header has "
                + HEADER_LENGTH);
      }
      byte[] bytes = Arrays.copyOfRange(enc, off, off + HEADER_LENGTH);
      if (bytes[0] != VERSION) {
        throw new TamperedDataException(
            "segment " + segmentIndex + " header has unknown version " + (bytes[0] & 0xFF));
      }
      if (bytes[1] != 0 || bytes[2] != 0 || bytes[3] != 0) {
        throw new TamperedDataException(
            "segment " + segmentIndex + " header has non-zero reserved bytes");
      }
      int chunkSize = getInt(bytes, 4);
      if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
        throw new TamperedDataException(
            "segment " + segmentIndex + " header declares an invalid chunk size " + chunkSize);
      }
      int plaintextLength = getInt(bytes, 8);
      if (plaintextLength < 0) {
        throw new TamperedDataException(
            "segment "
                + segmentIndex
                + " header declares an invalid plaintext length "
                + Integer.toUnsignedString(plaintextLength));
      }
      return new Header(bytes, chunkSize, plaintextLength, Arrays.copyOfRange(bytes, 12, 28));
    }
  }
}
