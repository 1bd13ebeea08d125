package org.deoss.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentCipherTest {
  private static final int C = 4096;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DataKey key = DataKey.generate(RANDOM);
  private final byte[] objectId = random(16, 1);
  private final SegmentCipher cipher = SegmentCipher.create(key, objectId, C);

  @ParameterizedTest
  @ValueSource(ints = {4096, 65536, 1 << 20})
  void roundTrip_edgeSizes_returnPlaintext(int chunkSize) {
    SegmentCipher c = SegmentCipher.create(key, objectId, chunkSize);
    int[] sizes = {0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 3 * chunkSize + 7, 3 << 20};
    for (int size : sizes) {
      byte[] plain = random(size, size);
      byte[] enc = encrypt(c, 5, plain);
      assertEquals(c.encryptedLength(size), enc.length, "size " + size);
      assertEquals(size, c.plaintextLength(enc.length), "size " + size);
      byte[] back = new byte[size];
      assertEquals(size, c.decrypt(5, enc, 0, enc.length, back, 0), "size " + size);
      assertArrayEquals(plain, back, "size " + size + " chunk " + chunkSize);
    }
  }

  @Test
  void roundTrip_atOffsets_usesOnlyTheGivenSlices() {
    byte[] plain = random(10_000, 3);
    byte[] in = new byte[plain.length + 20];
    System.arraycopy(plain, 0, in, 7, plain.length);
    byte[] out = new byte[cipher.encryptedLength(plain.length) + 11];
    int written = cipher.encrypt(2, in, 7, plain.length, out, 11, RANDOM);
    byte[] back = new byte[plain.length + 5];
    assertEquals(plain.length, cipher.decrypt(2, out, 11, written, back, 5));
    assertArrayEquals(plain, Arrays.copyOfRange(back, 5, back.length));
  }

  @Test
  void emptySegment_isOneEmptyFinalChunkWithItsTag() {
    byte[] enc = encrypt(cipher, 0, new byte[0]);
    assertEquals(SegmentCipher.HEADER_LENGTH + SegmentCipher.TAG_LENGTH, enc.length);
    assertEquals(0, cipher.decrypt(0, enc, 0, enc.length, new byte[0], 0));
    enc[enc.length - 1] ^= 1;
    assertThrows(
        TamperedDataException.class, () -> cipher.decrypt(0, enc, 0, enc.length, new byte[0], 0));
  }

  @Test
  void encrypt_sameSegmentTwice_usesFreshSalt() {
    byte[] plain = random(5000, 4);
    byte[] a = encrypt(cipher, 1, plain);
    byte[] b = encrypt(cipher, 1, plain);
    assertFalse(Arrays.equals(a, b));
    assertFalse(
        Arrays.equals(Arrays.copyOfRange(a, 12, 28), Arrays.copyOfRange(b, 12, 28)), "salts");
  }

  @Test
  void encrypt_whenSaltRepeats_refusesNonceReuse() {
    byte[] plain = random(100, 5);
    byte[] out = new byte[cipher.encryptedLength(plain.length)];
    cipher.encrypt(9, plain, 0, plain.length, out, 0, new FixedRandom(77_001));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> cipher.encrypt(9, plain, 0, plain.length, out, 0, new FixedRandom(77_001)));
    assertTrue(e.getMessage().contains("segment 9"), e.getMessage());
  }

  @Test
  void lengths_areInverse_andImpossibleLengthsAreRefused() {
    long seed = 424242L;
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < 2000; i++) {
      int len = r.nextInt(0, 300_000);
      assertEquals(len, cipher.plaintextLength(cipher.encryptedLength(len)), "seed " + seed);
    }
    for (int bad : new int[] {0, 27, 28, 43, 28 + 16 + C + 1, 28 + C + 16 + 1, 28 + C + 16 + 16}) {
      assertThrows(IllegalArgumentException.class, () -> cipher.plaintextLength(bad), "" + bad);
    }
    assertEquals(28 + 16, cipher.encryptedLength(0));
    assertEquals(28 + C + 16, cipher.encryptedLength(C));
    assertEquals(28 + C + 1 + 32, cipher.encryptedLength(C + 1));
  }

  @Test
  void create_rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> SegmentCipher.create(key, objectId, 4095));
    assertThrows(
        IllegalArgumentException.class, () -> SegmentCipher.create(key, objectId, (4 << 20) + 1));
    assertThrows(IllegalArgumentException.class, () -> SegmentCipher.create(key, new byte[15], C));
    DataKey gone = DataKey.generate(RANDOM);
    gone.destroy();
    assertThrows(IllegalStateException.class, () -> SegmentCipher.create(gone, objectId, C));
  }

  @Test
  void encrypt_whenOutputTooSmall_namesTheSizes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> cipher.encrypt(0, new byte[10], 0, 10, new byte[53], 0, RANDOM));
    assertTrue(e.getMessage().contains("54"), e.getMessage());
  }

  // ---- tampering: every case must fail with TamperedDataException naming segment and chunk ----

  private static final int SEG = 3;

  private byte[] threeChunks() {
    return encrypt(cipher, SEG, random(2 * C + 100, 6));
  }

  private void assertTampered(byte[] enc, String expectedInMessage) {
    assertTampered(cipher, SEG, enc, expectedInMessage);
  }

  private static void assertTampered(
      SegmentCipher c, long segment, byte[] enc, String expectedInMessage) {
    TamperedDataException e =
        assertThrows(
            TamperedDataException.class,
            () -> c.decrypt(segment, enc, 0, enc.length, new byte[8 * C], 0));
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
  }

  private byte[] altered(Consumer<byte[]> change) {
    byte[] enc = threeChunks();
    change.accept(enc);
    return enc;
  }

  @Test
  void decrypt_flippedSaltByte_failsFirstChunk() {
    assertTampered(altered(b -> b[20] ^= 1), "segment 3 chunk 0 of 3 failed authentication");
  }

  @Test
  void decrypt_flippedVersionOrReservedByte_namesTheHeader() {
    assertTampered(altered(b -> b[0] = 2), "segment 3 header has unknown version 2");
    assertTampered(altered(b -> b[2] = 1), "segment 3 header has non-zero reserved bytes");
  }

  @Test
  void decrypt_changedLengthOrChunkSizeInHeader_isRefused() {
    assertTampered(altered(b -> b[11] ^= 1), "segment 3");
    assertTampered(altered(b -> b[6] ^= 0x20), "segment 3");
    assertTampered(altered(b -> b[4] = 0x7f), "segment 3 header declares an invalid chunk size");
  }

  @Test
  void decrypt_flippedCiphertextByte_namesTheChunk() {
    int chunk1 = cipher.layout(2 * C + 100).chunkOffset(1);
    assertTampered(altered(b -> b[chunk1 + 17] ^= 0x40), "segment 3 chunk 1 of 3");
  }

  @Test
  void decrypt_flippedTagByte_namesTheChunk() {
    ChunkLayout layout = cipher.layout(2 * C + 100);
    int tag2 = layout.chunkOffset(2) + layout.chunkPlaintextLength(2);
    assertTampered(altered(b -> b[tag2 + 3] ^= 1), "segment 3 chunk 2 of 3");
  }

  @Test
  void decrypt_swappedChunks_fails() {
    byte[] enc = threeChunks();
    ChunkLayout layout = cipher.layout(2 * C + 100);
    int size = C + 16;
    byte[] first = Arrays.copyOfRange(enc, layout.chunkOffset(0), layout.chunkOffset(0) + size);
    System.arraycopy(enc, layout.chunkOffset(1), enc, layout.chunkOffset(0), size);
    System.arraycopy(first, 0, enc, layout.chunkOffset(1), size);
    assertTampered(enc, "segment 3 chunk 0 of 3 failed authentication");
  }

  @Test
  void decrypt_droppedChunk_fails() {
    byte[] enc = threeChunks();
    ChunkLayout layout = cipher.layout(2 * C + 100);
    byte[] dropped = new byte[enc.length - (C + 16)];
    System.arraycopy(enc, 0, dropped, 0, layout.chunkOffset(1));
    System.arraycopy(
        enc,
        layout.chunkOffset(2),
        dropped,
        layout.chunkOffset(1),
        enc.length - layout.chunkOffset(2));
    assertTampered(dropped, "segment 3 chunk 1 of 3 is truncated or missing");
  }

  @Test
  void decrypt_droppedFinalChunksWithHeaderLengthRewritten_failsOnTheFinalFlag() {
    // An attacker who also edits the header's length fails because the header is in every AAD.
    byte[] enc = threeChunks();
    byte[] cut = Arrays.copyOf(enc, cipher.layout(2 * C + 100).chunkOffset(2));
    cut[8] = 0;
    cut[9] = 0;
    cut[10] = (byte) ((2 * C) >>> 8);
    cut[11] = 0;
    assertTampered(cut, "segment 3 chunk 0 of 2 failed authentication");
  }

  @Test
  void decrypt_truncatedLastChunk_fails() {
    byte[] enc = threeChunks();
    assertTampered(Arrays.copyOf(enc, enc.length - 1), "segment 3 chunk 2 of 3 is truncated");
    assertTampered(Arrays.copyOf(enc, 20), "segment 3 header is truncated");
  }

  @Test
  void decrypt_appendedBytes_fail() {
    byte[] enc = threeChunks();
    assertTampered(Arrays.copyOf(enc, enc.length + 16), "bytes after its final chunk 2");
  }

  @Test
  void decrypt_underAnotherSegmentIndex_fails() {
    byte[] enc = threeChunks();
    assertTampered(cipher, SEG + 1, enc, "segment 4 chunk 0 of 3 failed authentication");
  }

  @Test
  void decrypt_underAnotherObjectId_fails() {
    byte[] otherId = objectId.clone();
    otherId[15] ^= 1;
    assertTampered(
        SegmentCipher.create(key, otherId, C),
        SEG,
        threeChunks(),
        "segment 3 chunk 0 of 3 failed authentication");
  }

  @Test
  void decrypt_underAnotherKey_fails() {
    assertTampered(
        SegmentCipher.create(DataKey.generate(RANDOM), objectId, C),
        SEG,
        threeChunks(),
        "segment 3 chunk 0 of 3 failed authentication");
  }

  @Test
  void decrypt_segmentsOfOneObjectSwapped_fail() {
    byte[] seg0 = encrypt(cipher, 0, random(C, 8));
    assertTampered(cipher, 1, seg0, "segment 1 chunk 0 of 1 failed authentication");
  }

  @Test
  void decrypt_afterKeyDestroyed_isIllegalState() {
    DataKey k = DataKey.generate(RANDOM);
    SegmentCipher c = SegmentCipher.create(k, objectId, C);
    byte[] enc = encrypt(c, 0, random(10, 9));
    k.destroy();
    assertThrows(
        IllegalStateException.class, () -> c.decrypt(0, enc, 0, enc.length, new byte[10], 0));
  }

  // ---- ranged reads ----

  @Test
  void decryptRange_randomRanges_matchTheSlice() {
    long seed = 987_654_321L;
    SplittableRandom r = new SplittableRandom(seed);
    for (int round = 0; round < 300; round++) {
      int size = r.nextInt(0, 6 * C);
      byte[] plain = random(size, r.nextLong());
      byte[] enc = encrypt(cipher, 7, plain);
      ChunkLayout layout = cipher.layout(size);
      int from = size == 0 ? 0 : r.nextInt(0, size + 1);
      int len = r.nextInt(0, size - from + 1);
      ChunkLayout.Span span = layout.encryptedSpan(from, len);
      byte[] input = new byte[layout.rangeInputLength(from, len)];
      System.arraycopy(enc, 0, input, 0, SegmentCipher.HEADER_LENGTH);
      System.arraycopy(enc, span.offset(), input, SegmentCipher.HEADER_LENGTH, span.length());
      byte[] out = new byte[len];
      String where =
          "seed " + seed + " round " + round + " size " + size + " range " + from + "+" + len;
      assertEquals(len, cipher.decryptRange(7, input, 0, input.length, from, len, out, 0), where);
      assertArrayEquals(Arrays.copyOfRange(plain, from, from + len), out, where);
    }
  }

  @Test
  void decryptRange_wholeSegment_equalsDecrypt() {
    byte[] plain = random(3 * C + 1, 10);
    byte[] enc = encrypt(cipher, 0, plain);
    byte[] out = new byte[plain.length];
    cipher.decryptRange(0, enc, 0, enc.length, 0, plain.length, out, 0);
    assertArrayEquals(plain, out);
  }

  @Test
  void decryptRange_tamperedCoveringChunk_namesIt() {
    byte[] plain = random(4 * C, 11);
    byte[] enc = encrypt(cipher, 2, plain);
    ChunkLayout layout = cipher.layout(plain.length);
    ChunkLayout.Span span = layout.encryptedSpan(C + 10, C);
    byte[] input = new byte[layout.rangeInputLength(C + 10, C)];
    System.arraycopy(enc, 0, input, 0, SegmentCipher.HEADER_LENGTH);
    System.arraycopy(enc, span.offset(), input, SegmentCipher.HEADER_LENGTH, span.length());
    input[input.length - 1] ^= 1;
    TamperedDataException e =
        assertThrows(
            TamperedDataException.class,
            () -> cipher.decryptRange(2, input, 0, input.length, C + 10, C, new byte[C], 0));
    assertTrue(e.getMessage().contains("segment 2 chunk 2 of 4"), e.getMessage());
  }

  @Test
  void decryptRange_wrongInputLength_isRefused() {
    byte[] enc = encrypt(cipher, 2, random(4 * C, 12));
    TamperedDataException e =
        assertThrows(
            TamperedDataException.class,
            () -> cipher.decryptRange(2, enc, 0, enc.length, 10, 10, new byte[10], 0));
    assertTrue(e.getMessage().contains("needs the header and " + (C + 16)), e.getMessage());
  }

  @Test
  void decryptRange_beyondDeclaredLength_isTampered_negativeIsIllegalArgument() {
    byte[] enc = encrypt(cipher, 2, random(100, 13));
    TamperedDataException e =
        assertThrows(
            TamperedDataException.class,
            () -> cipher.decryptRange(2, enc, 0, enc.length, 50, 51, new byte[100], 0));
    assertTrue(e.getMessage().contains("beyond the 100 bytes its header declares"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> cipher.decryptRange(2, enc, 0, enc.length, -1, 5, new byte[100], 0));
  }

  @Test
  void concurrentUse_fromManyThreads_roundTrips() throws Exception {
    byte[] plain = random(5 * C + 3, 14);
    Thread[] threads = new Thread[4];
    Throwable[] failure = new Throwable[1];
    for (int t = 0; t < threads.length; t++) {
      int segment = t;
      threads[t] =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 50; i++) {
                    byte[] enc = encrypt(cipher, segment, plain);
                    byte[] back = new byte[plain.length];
                    cipher.decrypt(segment, enc, 0, enc.length, back, 0);
                    if (!Arrays.equals(plain, back)) {
                      throw new AssertionError("thread " + segment + " round " + i);
                    }
                  }
                } catch (Throwable e) {
                  synchronized (failure) {
                    failure[0] = e;
                  }
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure[0] != null) {
      throw new AssertionError(failure[0]);
    }
  }

  static byte[] encrypt(SegmentCipher c, long segment, byte[] plain) {
    byte[] out = new byte[c.encryptedLength(plain.length)];
    assertEquals(out.length, c.encrypt(segment, plain, 0, plain.length, out, 0, RANDOM));
    return out;
  }

  static byte[] random(int length, long seed) {
    byte[] b = new byte[length];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }
}
