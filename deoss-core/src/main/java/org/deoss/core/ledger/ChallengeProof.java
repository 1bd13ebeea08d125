package org.deoss.core.ledger;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;

/**
 * A miner's answer to a {@link Challenge}: one {@link FragmentMerkle.Proof} per challenged
 * fragment, in the challenge's order.
 *
 * <h2>Encoding</h2>
 *
 * The bytes of {@link Call.SubmitProof#proof()}, big-endian:
 *
 * <pre>
 * +---------+---------+--------------------------------------------+
 * | version | count   | count x ( length:u16 | FragmentMerkle.Proof )|
 * | 1 byte  | 1 byte  |                                            |
 * +---------+---------+--------------------------------------------+
 * </pre>
 *
 * Version is 1; {@code count} is at most {@value #MAX_FRAGMENTS}; each inner proof is at most
 * {@value #MAX_INNER_BYTES} bytes (a full leaf and 32 siblings). A 4-fragment answer for 8 MiB
 * fragments is 2 + 4 x (2 + 1,452) = 5,818 bytes.
 *
 * <p>Stateless and thread-safe.
 */
public final class ChallengeProof {
  static final byte VERSION = 1;

  /** Most fragments one answer may carry. */
  public static final int MAX_FRAGMENTS = 255;

  /** Largest inner proof: header, a 1 KiB leaf, the sibling count and 32 sibling hashes. */
  public static final int MAX_INNER_BYTES = 11 + FragmentMerkle.LEAF_SIZE + 1 + 32 * 32;

  /** Largest encoded answer. */
  public static final int MAX_BYTES = 2 + MAX_FRAGMENTS * (2 + MAX_INNER_BYTES);

  private ChallengeProof() {}

  /** Encodes proofs in the form above. */
  public static byte[] encode(List<FragmentMerkle.Proof> proofs) {
    if (proofs.isEmpty() || proofs.size() > MAX_FRAGMENTS) {
      throw new IllegalArgumentException(
          "an answer has 1.." + MAX_FRAGMENTS + " proofs, got " + proofs.size());
    }
    List<byte[]> inner = new ArrayList<>(proofs.size());
    int total = 2;
    for (FragmentMerkle.Proof p : proofs) {
      byte[] e = p.encode();
      inner.add(e);
      total += 2 + e.length;
    }
    ByteBuffer b = ByteBuffer.allocate(total);
    b.put(VERSION).put((byte) proofs.size());
    for (byte[] e : inner) {
      b.putShort((short) e.length).put(e);
    }
    return b.array();
  }

  /**
   * Parses {@link #encode}'s form.
   *
   * @throws IllegalArgumentException naming what is wrong: size, version, count, a truncated or
   *     malformed inner proof, trailing bytes
   */
  public static List<FragmentMerkle.Proof> decode(byte[] encoded) {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "answer of " + encoded.length + " bytes exceeds " + MAX_BYTES + " bytes");
    }
    if (encoded.length < 2) {
      throw new IllegalArgumentException("answer truncated: " + encoded.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(encoded);
    byte version = b.get();
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown answer version " + version);
    }
    int count = Byte.toUnsignedInt(b.get());
    if (count == 0) {
      throw new IllegalArgumentException("answer has no proofs");
    }
    List<FragmentMerkle.Proof> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (b.remaining() < 2) {
        throw new IllegalArgumentException("answer truncated before proof " + i);
      }
      int len = Short.toUnsignedInt(b.getShort());
      if (len > MAX_INNER_BYTES || len > b.remaining()) {
        throw new IllegalArgumentException(
            "proof " + i + " claims " + len + " bytes, " + b.remaining() + " remain");
      }
      byte[] inner = new byte[len];
      b.get(inner);
      try {
        out.add(FragmentMerkle.Proof.decode(inner));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("proof " + i + ": " + e.getMessage(), e);
      }
    }
    if (b.hasRemaining()) {
      throw new IllegalArgumentException("answer has " + b.remaining() + " trailing bytes");
    }
    return out;
  }

  /**
   * Builds the answer to {@code challenge} from the fragments' bytes (one per challenged fragment,
   * in order). A fragment whose bytes no longer have the recorded root or length cannot be proven:
   * this never produces a proof that would not verify.
   *
   * @throws IllegalArgumentException if the fragments do not match the challenge, naming the first
   *     fragment that is missing, damaged or of the wrong length
   */
  public static byte[] answer(Challenge challenge, List<byte[]> fragments) {
    if (fragments.size() != challenge.fragments().size()) {
      throw new IllegalArgumentException(
          "challenge "
              + challenge.id()
              + " names "
              + challenge.fragments().size()
              + " fragments, got "
              + fragments.size());
    }
    List<FragmentMerkle.Proof> proofs = new ArrayList<>(fragments.size());
    for (int i = 0; i < fragments.size(); i++) {
      byte[] data = fragments.get(i);
      Hash256 id = challenge.fragments().get(i);
      if (data == null) {
        throw new IllegalArgumentException("fragment " + id + " is missing");
      }
      if (FragmentMerkle.leafCount(data.length) != challenge.leafCounts().get(i)) {
        throw new IllegalArgumentException(
            "fragment " + id + " has " + data.length + " bytes, not the recorded length");
      }
      FragmentMerkle.Proof p =
          FragmentMerkle.prove(data, 0, data.length, challenge.leafIndices().get(i));
      if (!p.verify(id)) {
        throw new IllegalArgumentException("fragment " + id + " is damaged: its root differs");
      }
      proofs.add(p);
    }
    return encode(proofs);
  }

  /**
   * Whether {@code encoded} answers {@code challenge}: it decodes, has one proof per challenged
   * fragment, each for the challenged leaf index in a tree of the recorded leaf count, and each
   * hashes up to the fragment's id. Deterministic; never throws on bad input.
   */
  public static boolean verify(Challenge challenge, byte[] encoded) {
    List<FragmentMerkle.Proof> proofs;
    try {
      proofs = decode(encoded);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (proofs.size() != challenge.fragments().size()) {
      return false;
    }
    for (int i = 0; i < proofs.size(); i++) {
      FragmentMerkle.Proof p = proofs.get(i);
      if (p.leafIndex() != challenge.leafIndices().get(i)
          || p.leafCount() != challenge.leafCounts().get(i)
          || !p.verify(challenge.fragments().get(i))) {
        return false;
      }
    }
    return true;
  }
}
