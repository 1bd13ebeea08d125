package org.deoss.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.deoss.core.hash.Hash256;
import org.junit.jupiter.api.Test;

/**
 * Pins the segment format: a fixed key, object id, salt and segment index give fixed bytes, and the
 * same bytes come out of an independent construction (Bouncy Castle's HKDF and a fresh one-shot JDK
 * cipher per chunk, following the layout in the {@link SegmentCipher} Javadoc).
 */
class SegmentCipherKnownAnswerTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] DEK = sequence(0x00, 32);
  private static final byte[] OBJECT_ID = sequence(0xa0, 16);
  private static final byte[] SALT = sequence(0xc0, 16);

  // Computed once with this implementation and checked against the independent construction.
  private static final String SHORT_VECTOR =
      "010000000000100000000005c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
          + "2c83b0448d" // ciphertext of "deoss"
          + "d044bd1495c14df57be7089345fc48e3";
  private static final String TWO_CHUNK_SHA256 =
      "4bfd6a4873e1dc664447747df2a23d0eb04da7360b111de3a103d35d718f7e2b";

  @Test
  void shortSegment_matchesPinnedBytesAndIndependentConstruction() {
    byte[] plain = "deoss".getBytes(StandardCharsets.US_ASCII);
    byte[] actual = encrypt(11, plain, 4096);
    assertArrayEquals(independent(11, plain, 4096), actual);
    assertEquals(SHORT_VECTOR, HEX.formatHex(actual));
  }

  @Test
  void twoChunkSegment_matchesPinnedDigestAndIndependentConstruction() {
    byte[] plain = new byte[5000];
    for (int i = 0; i < plain.length; i++) {
      plain[i] = (byte) i;
    }
    byte[] actual = encrypt(12, plain, 4096);
    assertArrayEquals(independent(12, plain, 4096), actual);
    assertEquals(TWO_CHUNK_SHA256, Hash256.digest(actual).toString());
  }

  private static byte[] encrypt(long segment, byte[] plain, int chunkSize) {
    SegmentCipher cipher = SegmentCipher.create(DataKey.of(DEK), OBJECT_ID, chunkSize);
    byte[] out = new byte[cipher.encryptedLength(plain.length)];
    cipher.encrypt(segment, plain, 0, plain.length, out, 0, fixedSalt());
    byte[] back = new byte[plain.length];
    cipher.decrypt(segment, out, 0, out.length, back, 0);
    assertArrayEquals(plain, back);
    return out;
  }

  /** The format rebuilt from its description, sharing no code with SegmentCipher. */
  private static byte[] independent(long segment, byte[] plain, int chunkSize) {
    byte[] info =
        ByteBuffer.allocate(16 + 16 + 8)
            .put("deoss segment v1".getBytes(StandardCharsets.US_ASCII))
            .put(OBJECT_ID)
            .putLong(segment)
            .array();
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(DEK, SALT, info));
    byte[] segmentKey = new byte[32];
    hkdf.generateBytes(segmentKey, 0, 32);

    byte[] header =
        ByteBuffer.allocate(28)
            .put((byte) 1)
            .put(new byte[3])
            .putInt(chunkSize)
            .putInt(plain.length)
            .put(SALT)
            .array();
    int chunks = Math.max(1, (plain.length + chunkSize - 1) / chunkSize);
    ByteBuffer out = ByteBuffer.allocate(28 + plain.length + 16 * chunks).put(header);
    try {
      for (int i = 0; i < chunks; i++) {
        byte[] nonce =
            ByteBuffer.allocate(12)
                .put((byte) (i == chunks - 1 ? 1 : 0))
                .put(new byte[3])
                .putLong(i)
                .array();
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(
            Cipher.ENCRYPT_MODE,
            new SecretKeySpec(segmentKey, "AES"),
            new GCMParameterSpec(128, nonce));
        c.updateAAD(header);
        int from = i * chunkSize;
        out.put(c.doFinal(plain, from, Math.min(chunkSize, plain.length - from)));
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
    return out.array();
  }

  private static SecureRandom fixedSalt() {
    return new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public void nextBytes(byte[] bytes) {
        System.arraycopy(SALT, 0, bytes, 0, bytes.length);
      }
    };
  }

  private static byte[] sequence(int start, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (start + i);
    }
    return b;
  }
}
