package org.deoss.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FragmentMerkleTest {
  private static final int LEAF = FragmentMerkle.LEAF_SIZE;

  @Test
  void root_emptyFragment_isHashOfOneEmptyLeaf() throws Exception {
    assertEquals(sha256(new byte[] {0}), FragmentMerkle.root(new byte[0], 0, 0));
  }

  @Test
  void root_oneShortLeaf_isPrefixedLeafHash() throws Exception {
    byte[] data = {7, 8, 9, 10};
    assertEquals(sha256(new byte[] {0, 8, 9}), FragmentMerkle.root(data, 1, 2));
  }

  @Test
  void root_equalsRfc6962DefinitionForManyLengths() throws Exception {
    long seed = 6962L;
    SplittableRandom random = new SplittableRandom(seed);
    int[] lengths = {1, LEAF - 1, LEAF, LEAF + 1, 2 * LEAF, 3 * LEAF - 5, 7 * LEAF, 13 * LEAF + 1};
    for (int len : lengths) {
      byte[] data = bytes(random, len + 10);
      assertEquals(
          naiveRoot(data, 5, len), FragmentMerkle.root(data, 5, len), len + " bytes, seed " + seed);
    }
  }

  @Test
  void builder_randomSplitPoints_equalsOneShotRoot() {
    long seed = 77L;
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 40; round++) {
      int len = random.nextInt(0, 40 * LEAF);
      byte[] data = bytes(random, len);
      FragmentMerkle.Builder b = FragmentMerkle.builder();
      int pos = 0;
      while (pos < len) {
        int n = random.nextInt(0, Math.min(len - pos, 3 * LEAF) + 1);
        b.update(data, pos, n);
        pos += n;
      }
      assertEquals(
          FragmentMerkle.root(data, 0, len),
          b.finish(),
          "round " + round + ", " + len + " bytes, seed " + seed);
    }
  }

  @Test
  void builder_afterFinish_refusesUse() {
    FragmentMerkle.Builder b = FragmentMerkle.builder();
    b.finish();
    assertThrows(IllegalStateException.class, b::finish);
    assertThrows(IllegalStateException.class, () -> b.update(new byte[1], 0, 1));
  }

  @Test
  void prove_everyLeafOfTreesOf1To20Leaves_verifies() {
    SplittableRandom random = new SplittableRandom(20L);
    for (int leaves = 1; leaves <= 20; leaves++) {
      for (int tail : new int[] {0, 1, LEAF - 1}) {
        int len = leaves * LEAF - (tail == 0 ? 0 : LEAF - tail);
        byte[] data = bytes(random, len);
        Hash256 root = FragmentMerkle.root(data, 0, len);
        assertEquals(leaves, FragmentMerkle.leafCount(len));
        for (int i = 0; i < leaves; i++) {
          FragmentMerkle.Proof p = FragmentMerkle.prove(data, 0, len, i);
          assertTrue(p.verify(root), "leaf " + i + " of " + leaves + ", " + len + " bytes");
          assertEquals(p, FragmentMerkle.Proof.decode(p.encode()));
        }
      }
    }
  }

  @Test
  void verify_rejectsWrongLeafIndexSiblingRootOrTruncation() {
    SplittableRandom random = new SplittableRandom(5L);
    int len = 11 * LEAF + 100;
    byte[] data = bytes(random, len);
    Hash256 root = FragmentMerkle.root(data, 0, len);
    for (int i = 0; i < 12; i++) {
      FragmentMerkle.Proof p = FragmentMerkle.prove(data, 0, len, i);
      byte[] leaf = p.leaf();
      leaf[leaf.length / 2] ^= 1;
      assertFalse(proof(p.leafIndex(), p.leafCount(), leaf, p.siblings()).verify(root), "leaf");

      int other = (i + 1) % 12;
      assertFalse(proof(other, 12, p.leaf(), p.siblings()).verify(root), "index " + other);

      for (int s = 0; s < p.siblings().size(); s++) {
        List<Hash256> siblings = new ArrayList<>(p.siblings());
        byte[] h = siblings.get(s).toBytes();
        h[0] ^= (byte) 0x80;
        siblings.set(s, Hash256.of(h));
        assertFalse(proof(i, 12, p.leaf(), siblings).verify(root), "sibling " + s);
      }
      List<Hash256> shorter = p.siblings().subList(0, p.siblings().size() - 1);
      assertFalse(proof(i, 12, p.leaf(), shorter).verify(root), "truncated");
      List<Hash256> longer = new ArrayList<>(p.siblings());
      longer.add(root);
      assertFalse(proof(i, 12, p.leaf(), longer).verify(root), "extended");
      if (i >= 8) { // leaves 0..7 sit in a complete subtree whose path ignores the count
        assertFalse(proof(i, 13, p.leaf(), p.siblings()).verify(root), "leaf count");
      }
      assertFalse(p.verify(Hash256.digest(data)), "other root");
    }
  }

  @Test
  void verify_rejectsShortLeafExceptLast() {
    byte[] data = bytes(new SplittableRandom(3L), 4 * LEAF);
    Hash256 root = FragmentMerkle.root(data, 0, 4 * LEAF);
    FragmentMerkle.Proof p = FragmentMerkle.prove(data, 0, 4 * LEAF, 1);
    byte[] cut = Arrays.copyOf(p.leaf(), LEAF - 1);
    assertFalse(proof(1, 4, cut, p.siblings()).verify(root));
  }

  @Test
  void decode_malformed_failsWithReason() {
    byte[] data = bytes(new SplittableRandom(9L), 5 * LEAF);
    byte[] enc = FragmentMerkle.prove(data, 0, data.length, 3).encode();
    for (int n = 0; n < enc.length; n++) {
      byte[] cut = Arrays.copyOf(enc, n);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> FragmentMerkle.Proof.decode(cut),
              "prefix of " + n + " bytes");
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
    byte[] longer = Arrays.copyOf(enc, enc.length + 1);
    assertEquals(
        "proof has trailing bytes: 3 siblings need 96 bytes, 97 remain",
        assertThrows(IllegalArgumentException.class, () -> FragmentMerkle.Proof.decode(longer))
            .getMessage());
    byte[] version = enc.clone();
    version[0] = 9;
    assertEquals(
        "unknown proof version 9",
        assertThrows(IllegalArgumentException.class, () -> FragmentMerkle.Proof.decode(version))
            .getMessage());
    byte[] index = enc.clone();
    index[4] = 5; // leafIndex 5 of 5 leaves
    assertEquals(
        "leafIndex must be in [0, 5), got 5",
        assertThrows(IllegalArgumentException.class, () -> FragmentMerkle.Proof.decode(index))
            .getMessage());
    byte[] leafLen = enc.clone();
    leafLen[9] = 0x04;
    leafLen[10] = 0x01;
    assertEquals(
        "leaf length 1025 exceeds 1024 bytes",
        assertThrows(IllegalArgumentException.class, () -> FragmentMerkle.Proof.decode(leafLen))
            .getMessage());
  }

  @Test
  void prove_8MiBFragment_has13SiblingsAnd1452ByteEncoding() {
    byte[] data = bytes(new SplittableRandom(8L), 8 << 20);
    Hash256 root = FragmentMerkle.root(data, 0, data.length);
    FragmentMerkle.Proof p = FragmentMerkle.prove(data, 0, data.length, 5000);
    assertEquals(8192, p.leafCount());
    assertEquals(13, p.siblings().size());
    assertEquals(1452, p.encode().length);
    assertTrue(FragmentMerkle.Proof.decode(p.encode()).verify(root));
  }

  @Test
  void prove_whenLeafIndexOutOfRange_fails() {
    assertThrows(
        IndexOutOfBoundsException.class, () -> FragmentMerkle.prove(new byte[10], 0, 10, 1));
  }

  private static FragmentMerkle.Proof proof(int index, int count, byte[] leaf, List<Hash256> s) {
    return new FragmentMerkle.Proof(index, count, leaf, s);
  }

  /** RFC 6962 §2.1 MTH, recursively, with its own digest calls. */
  private static Hash256 naiveRoot(byte[] data, int off, int len) throws Exception {
    List<byte[]> leaves = new ArrayList<>();
    for (int start = 0; start < len || leaves.isEmpty(); start += LEAF) {
      leaves.add(Arrays.copyOfRange(data, off + start, off + Math.min(len, start + LEAF)));
    }
    return Hash256.of(mth(leaves));
  }

  private static byte[] mth(List<byte[]> leaves) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    if (leaves.size() == 1) {
      md.update((byte) 0);
      return md.digest(leaves.get(0));
    }
    int k = 1;
    while (k * 2 < leaves.size()) {
      k *= 2;
    }
    byte[] left = mth(leaves.subList(0, k));
    byte[] right = mth(leaves.subList(k, leaves.size()));
    md.update((byte) 1);
    md.update(left);
    return md.digest(right);
  }

  private static Hash256 sha256(byte[] b) throws Exception {
    return Hash256.of(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
