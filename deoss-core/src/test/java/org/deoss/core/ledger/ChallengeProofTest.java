package org.deoss.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.junit.jupiter.api.Test;

class ChallengeProofTest {
  private static final AccountKeys MINER = Fixture.keys(100);
  private static final ProofVerifier VERIFIER = ProofVerifier.merkle();

  private static byte[] fragment(SplittableRandom r, int length) {
    byte[] b = new byte[length];
    r.nextBytes(b);
    return b;
  }

  private static Challenge challenge(List<byte[]> fragments, List<Integer> leaves) {
    List<Hash256> ids = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (byte[] f : fragments) {
      ids.add(FragmentMerkle.root(f, 0, f.length));
      counts.add(FragmentMerkle.leafCount(f.length));
    }
    return new Challenge(7, MINER.id(), ids, leaves, counts, 10, 20);
  }

  @Test
  void answer_ofHeldFragments_verifies_forAnyLeafAndLength() {
    long seed = 20261124L;
    SplittableRandom r = new SplittableRandom(seed);
    for (int round = 0; round < 200; round++) {
      int n = 1 + r.nextInt(4);
      List<byte[]> frags = new ArrayList<>();
      List<Integer> leaves = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] f = fragment(r, r.nextInt(20 * 1024));
        frags.add(f);
        leaves.add(r.nextInt(FragmentMerkle.leafCount(f.length)));
      }
      Challenge ch = challenge(frags, leaves);
      byte[] proof = ChallengeProof.answer(ch, frags);
      assertTrue(VERIFIER.verify(ch, proof), "seed " + seed + " round " + round);
      assertTrue(proof.length <= ChallengeProof.MAX_BYTES);
    }
  }

  @Test
  void proofSize_forFourEightMiBFragments_isUnderSixKiB() {
    SplittableRandom r = new SplittableRandom(1);
    List<byte[]> frags = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      frags.add(fragment(r, 8 << 20));
    }
    Challenge ch = challenge(frags, List.of(0, 100, 5000, 8191));
    byte[] proof = ChallengeProof.answer(ch, frags);
    assertEquals(2 + 4 * (2 + 1452), proof.length);
    assertTrue(VERIFIER.verify(ch, proof));
  }

  private static final class Forgery {
    final SplittableRandom r = new SplittableRandom(99);
    final byte[] a = fragment(r, 10 * 1024 + 17);
    final byte[] b = fragment(r, 6 * 1024);
    final Challenge ch = challenge(List.of(a, b), List.of(3, 5));
    final byte[] good = ChallengeProof.answer(ch, List.of(a, b));

    List<FragmentMerkle.Proof> proofs() {
      return new ArrayList<>(ChallengeProof.decode(good));
    }
  }

  @Test
  void verify_refusesAWrongLeaf() {
    Forgery f = new Forgery();
    List<FragmentMerkle.Proof> ps = f.proofs();
    FragmentMerkle.Proof p = ps.get(0);
    byte[] leaf = p.leaf();
    leaf[100] ^= 1;
    ps.set(0, new FragmentMerkle.Proof(p.leafIndex(), p.leafCount(), leaf, p.siblings()));
    assertTrue(VERIFIER.verify(f.ch, f.good));
    assertFalse(VERIFIER.verify(f.ch, ChallengeProof.encode(ps)));
  }

  @Test
  void verify_refusesAWrongPath() {
    Forgery f = new Forgery();
    List<FragmentMerkle.Proof> ps = f.proofs();
    FragmentMerkle.Proof p = ps.get(1);
    List<Hash256> sib = new ArrayList<>(p.siblings());
    byte[] h = sib.get(1).toBytes();
    h[0] ^= 1;
    sib.set(1, Hash256.of(h));
    ps.set(1, new FragmentMerkle.Proof(p.leafIndex(), p.leafCount(), p.leaf(), sib));
    assertFalse(VERIFIER.verify(f.ch, ChallengeProof.encode(ps)));
    sib.remove(sib.size() - 1);
    ps.set(1, new FragmentMerkle.Proof(p.leafIndex(), p.leafCount(), p.leaf(), sib));
    assertFalse(VERIFIER.verify(f.ch, ChallengeProof.encode(ps)), "a path one level short");
  }

  @Test
  void verify_refusesAProofOfAnotherLeaf() {
    Forgery f = new Forgery();
    List<FragmentMerkle.Proof> ps = f.proofs();
    ps.set(0, FragmentMerkle.prove(f.a, 0, f.a.length, 4));
    assertFalse(VERIFIER.verify(f.ch, ChallengeProof.encode(ps)));
  }

  @Test
  void verify_refusesAnotherFragmentsProof_andSwappedOrder() {
    Forgery f = new Forgery();
    List<FragmentMerkle.Proof> ps = f.proofs();
    ps.set(0, FragmentMerkle.prove(f.b, 0, f.b.length, 3));
    assertFalse(VERIFIER.verify(f.ch, ChallengeProof.encode(ps)));
    List<FragmentMerkle.Proof> swapped = f.proofs();
    swapped.add(swapped.remove(0));
    assertFalse(VERIFIER.verify(f.ch, ChallengeProof.encode(swapped)));
  }

  @Test
  void verify_refusesAnotherLeafPosingUnderAFalseLeafCount() {
    // In a 5-leaf tree, leaf 4 hangs right of the root exactly as leaf 2 of a 3-leaf tree does:
    // without the recorded leaf count, holding leaf 4 would answer a challenge on leaf 2.
    SplittableRandom r = new SplittableRandom(5);
    byte[] frag = fragment(r, 4 * 1024 + 300);
    Hash256 root = FragmentMerkle.root(frag, 0, frag.length);
    FragmentMerkle.Proof real = FragmentMerkle.prove(frag, 0, frag.length, 4);
    FragmentMerkle.Proof posing = new FragmentMerkle.Proof(2, 3, real.leaf(), real.siblings());
    assertTrue(posing.verify(root), "the forgery passes the bare Merkle check");
    Challenge ch = new Challenge(1, MINER.id(), List.of(root), List.of(2), List.of(5), 1, 2);
    assertFalse(VERIFIER.verify(ch, ChallengeProof.encode(List.of(posing))));
  }

  @Test
  void verify_refusesTruncatedOversizedAndMalformedAnswers() {
    Forgery f = new Forgery();
    for (int cut = 0; cut < f.good.length; cut += 37) {
      assertFalse(VERIFIER.verify(f.ch, Arrays.copyOf(f.good, cut)), "cut at " + cut);
    }
    assertFalse(VERIFIER.verify(f.ch, Arrays.copyOf(f.good, f.good.length + 1)), "trailing");
    assertFalse(VERIFIER.verify(f.ch, new byte[ChallengeProof.MAX_BYTES + 1]), "oversized");
    byte[] badVersion = f.good.clone();
    badVersion[0] = 9;
    assertFalse(VERIFIER.verify(f.ch, badVersion));
    List<FragmentMerkle.Proof> one = f.proofs().subList(0, 1);
    assertFalse(VERIFIER.verify(f.ch, ChallengeProof.encode(one)), "one proof for two fragments");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ChallengeProof.decode(Arrays.copyOf(f.good, f.good.length - 5)));
    assertTrue(e.getMessage().contains("proof 1"), e.getMessage());
  }

  @Test
  void answer_refusesDamagedOrMissingFragments_insteadOfFakingAProof() {
    Forgery f = new Forgery();
    byte[] damaged = f.a.clone();
    damaged[9000] ^= 1;
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ChallengeProof.answer(f.ch, List.of(damaged, f.b)));
    assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ChallengeProof.answer(f.ch, Arrays.asList(f.a, null)));
    assertThrows(
        IllegalArgumentException.class,
        () -> ChallengeProof.answer(f.ch, List.of(f.a, Arrays.copyOf(f.b, 1000))));
  }
}
