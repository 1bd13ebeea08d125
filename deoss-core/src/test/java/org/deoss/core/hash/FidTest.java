package org.deoss.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FidTest {
  @Test
  void of_helloPaddedTo32MiB_givesCessSegmentHashAndFid() {
    byte[] segment = new byte[32 << 20];
    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(hello, 0, segment, 0, hello.length);
    Hash256 segmentHash = Hash256.digest(segment);
    assertEquals(
        "edaadc8d26c6d18a9d7b3fd557c81ebef5ab9f42a036d29b33763153b24723ea", segmentHash.toHex());
    assertEquals(
        "c1f6e523054d358591ebee84a9fd71329abcaa9e3e51e20bf19ae7b3f4e774c2",
        Fid.of(List.of(segmentHash)).toHex());
  }

  @Test
  void of_oneSegment_isHashOfSegmentHashTwice() throws Exception {
    Hash256 h = Hash256.digest(new byte[] {1, 2, 3});
    assertEquals(sha256(concat(h.toBytes(), h.toBytes())), Fid.of(List.of(h)));
  }

  @Test
  void of_threeSegments_pairsTheOddLastWithItself() throws Exception {
    Hash256 a = Hash256.digest(new byte[] {1});
    Hash256 b = Hash256.digest(new byte[] {2});
    Hash256 c = Hash256.digest(new byte[] {3});
    Hash256 ab = sha256(concat(a.toBytes(), b.toBytes()));
    Hash256 cc = sha256(concat(c.toBytes(), c.toBytes()));
    assertEquals(sha256(concat(ab.toBytes(), cc.toBytes())), Fid.of(List.of(a, b, c)));
  }

  @Test
  void of_manySegments_equalsNaiveRecursiveTree() throws Exception {
    long seed = 42L;
    SplittableRandom random = new SplittableRandom(seed);
    for (int n : new int[] {2, 3, 4, 5, 7, 8, 9, 16, 33}) {
      List<Hash256> hashes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        hashes.add(Hash256.of(b));
      }
      List<byte[]> raw = new ArrayList<>();
      hashes.forEach(h -> raw.add(h.toBytes()));
      assertEquals(Hash256.of(naive(raw)), Fid.of(hashes), n + " segments, seed " + seed);
    }
  }

  @Test
  void of_emptyList_fails() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Fid.of(List.of()));
    assertEquals("a fid needs at least one segment hash, got none", e.getMessage());
  }

  @Test
  void of_nullElement_fails() {
    assertThrows(NullPointerException.class, () -> Fid.of(Arrays.asList(Hash256.ZERO, null)));
  }

  /** One level at a time, recursively, on plain byte arrays. */
  private static byte[] naive(List<byte[]> level) throws Exception {
    List<byte[]> next = new ArrayList<>();
    for (int i = 0; i < level.size(); i += 2) {
      byte[] left = level.get(i);
      byte[] right = i + 1 < level.size() ? level.get(i + 1) : left;
      next.add(MessageDigest.getInstance("SHA-256").digest(concat(left, right)));
    }
    return next.size() == 1 ? next.get(0) : naive(next);
  }

  private static Hash256 sha256(byte[] b) throws Exception {
    return Hash256.of(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
