package org.deoss.core.hash;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The audit root of a fragment: a Merkle tree over its 1 KiB leaves, so a miner can later prove it
 * still holds any chosen kilobyte with a short proof.
 *
 * <h2>Tree</h2>
 *
 * The fragment is cut into leaves of {@value #LEAF_SIZE} bytes; the last leaf may be shorter, and
 * an empty fragment has a single empty leaf. The tree is the Merkle Tree Hash of RFC 6962 §2.1 (RFC
 * 9162 §2.1.1):
 *
 * <pre>
 *   leaf hash  = SHA-256(0x00 ‖ leaf bytes)
 *   node hash  = SHA-256(0x01 ‖ left ‖ right)
 *   tree of n > 1 leaves = node(tree of the first 2^j leaves, tree of the rest),
 *                          2^j the largest power of two below n
 * </pre>
 *
 * Built level by level this means an odd last node is <em>promoted</em> unchanged to the next level
 * (never paired with itself), which keeps the tree appendable and lets a stream be rooted with one
 * hash per level ({@link Builder}). The prefixes separate leaves from nodes, so no leaf can pose as
 * an inner node.
 *
 * <p>Stateless and thread-safe; a {@link Builder} is for one thread.
 */
public final class FragmentMerkle {
  /** Bytes per leaf. */
  public static final int LEAF_SIZE = 1024;

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  private FragmentMerkle() {}

  /** The root over {@code data[off, off+len)}. */
  public static Hash256 root(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    Builder b = new Builder();
    b.update(data, off, len);
    return b.finish();
  }

  /** A streaming builder, for fragments that are never held whole. */
  public static Builder builder() {
    return new Builder();
  }

  /** The number of leaves of a fragment of {@code length} bytes (at least 1). */
  public static int leafCount(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, got " + length);
    }
    long n = Math.max(1, (length + LEAF_SIZE - 1) / LEAF_SIZE);
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("fragment too long: " + length + " bytes");
    }
    return (int) n;
  }

  /**
   * A proof that leaf {@code leafIndex} of {@code data[off, off+len)} is in the tree.
   *
   * @throws IndexOutOfBoundsException if there is no such leaf
   */
  public static Proof prove(byte[] data, int off, int len, int leafIndex) {
    Objects.checkFromIndexSize(off, len, data.length);
    int count = leafCount(len);
    Objects.checkIndex(leafIndex, count);
    MessageDigest md = Hash256.newDigest();
    byte[][] leaves = new byte[count][];
    for (int i = 0; i < count; i++) {
      int start = i * LEAF_SIZE;
      leaves[i] = leafHash(md, data, off + start, Math.min(LEAF_SIZE, len - start));
    }
    List<Hash256> siblings = new ArrayList<>();
    path(md, leaves, leafIndex, 0, count, siblings);
    int start = leafIndex * LEAF_SIZE;
    byte[] leaf = Arrays.copyOfRange(data, off + start, off + Math.min(len, start + LEAF_SIZE));
    return new Proof(leafIndex, count, leaf, siblings);
  }

  /** RFC 9162 §2.1.3.1 PATH(m, D[lo:hi]): siblings from the leaf level up to the root. */
  private static void path(
      MessageDigest md, byte[][] leaves, int m, int lo, int hi, List<Hash256> out) {
    int n = hi - lo;
    if (n <= 1) {
      return;
    }
    int k = Integer.highestOneBit(n - 1);
    if (m < k) {
      path(md, leaves, m, lo, lo + k, out);
      out.add(Hash256.of(subtree(md, leaves, lo + k, hi)));
    } else {
      path(md, leaves, m - k, lo + k, hi, out);
      out.add(Hash256.of(subtree(md, leaves, lo, lo + k)));
    }
  }

  private static byte[] subtree(MessageDigest md, byte[][] leaves, int lo, int hi) {
    int n = hi - lo;
    if (n == 1) {
      return leaves[lo];
    }
    int k = Integer.highestOneBit(n - 1);
    return nodeHash(md, subtree(md, leaves, lo, lo + k), subtree(md, leaves, lo + k, hi));
  }

  static byte[] leafHash(MessageDigest md, byte[] data, int off, int len) {
    md.update(LEAF_PREFIX);
    md.update(data, off, len);
    return md.digest();
  }

  static byte[] nodeHash(MessageDigest md, byte[] left, byte[] right) {
    md.update(NODE_PREFIX);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  /**
   * Roots a fragment fed in pieces of any size. Memory is one leaf buffer plus one hash per level
   * of the tree (at most 33); the fragment itself is never kept. Single use, single thread.
   *
   * <p>Nothing is allocated per leaf: hashes are digested straight into a flat stack of 32-byte
   * slots, and each leaf or node is handed to SHA-256 as one array with its prefix byte in front (a
   * copy of 1 KiB or 64 bytes), which costs fewer digest calls than feeding the prefix apart.
   */
  public static final class Builder {
    private static final int HASH = 32;
    private static final int MAX_DEPTH = 33;

    private final MessageDigest md = Hash256.newDigest();
    private final byte[] leaf = new byte[LEAF_SIZE];

    /** The leaf prefix and a leaf's bytes, so SHA-256 takes a leaf in one call. */
    private final byte[] prefixed = new byte[1 + LEAF_SIZE];

    /** The node prefix and two child hashes. */
    private final byte[] pair = new byte[1 + 2 * HASH];

    /** Roots of complete subtrees, largest first: slot i holds bytes [32 i, 32 i + 32). */
    private final byte[] stack = new byte[(MAX_DEPTH + 1) * HASH];

    private final int[] heights = new int[MAX_DEPTH + 1];
    private int depth;
    private int filled;
    private long leaves;
    private boolean finished;

    private Builder() {
      prefixed[0] = LEAF_PREFIX;
      pair[0] = NODE_PREFIX;
    }

    /** Appends {@code data[off, off+len)}. */
    public Builder update(byte[] data, int off, int len) {
      Objects.checkFromIndexSize(off, len, data.length);
      if (finished) {
        throw new IllegalStateException("builder already finished");
      }
      if (filled > 0) {
        int n = Math.min(len, LEAF_SIZE - filled);
        System.arraycopy(data, off, leaf, filled, n);
        filled += n;
        off += n;
        len -= n;
        if (filled < LEAF_SIZE) {
          return this;
        }
        pushLeaf(leaf, 0, LEAF_SIZE);
        filled = 0;
      }
      while (len >= LEAF_SIZE) {
        pushLeaf(data, off, LEAF_SIZE);
        off += LEAF_SIZE;
        len -= LEAF_SIZE;
      }
      if (len > 0) {
        System.arraycopy(data, off, leaf, 0, len);
        filled = len;
      }
      return this;
    }

    /** The root of everything appended; the builder cannot be used afterwards. */
    public Hash256 finish() {
      if (finished) {
        throw new IllegalStateException("builder already finished");
      }
      finished = true;
      if (filled > 0 || leaves == 0) {
        pushLeaf(leaf, 0, filled);
      }
      // fold the right spine: stack[d-2] = node(stack[d-2], stack[d-1]) down to slot 0
      while (depth > 1) {
        depth--;
        node(depth - 1);
      }
      return Hash256.of(Arrays.copyOf(stack, HASH));
    }

    private void pushLeaf(byte[] data, int off, int len) {
      leaves++;
      System.arraycopy(data, off, prefixed, 1, len);
      md.update(prefixed, 0, 1 + len);
      digestInto(depth);
      int height = 0;
      while (depth > 0 && heights[depth - 1] == height) {
        depth--;
        node(depth);
        height++;
      }
      heights[depth] = height;
      depth++;
    }

    /** Slot {@code i} = node(slot i, slot i + 1). */
    private void node(int i) {
      System.arraycopy(stack, i * HASH, pair, 1, 2 * HASH);
      md.update(pair, 0, pair.length);
      digestInto(i);
    }

    private void digestInto(int slot) {
      try {
        md.digest(stack, slot * HASH, HASH);
      } catch (DigestException e) {
        throw new IllegalStateException("SHA-256 digest of 32 bytes refused", e);
      }
    }
  }

  /**
   * A proof that {@code leaf} is leaf {@code leafIndex} of a fragment of {@code leafCount} leaves:
   * the sibling hashes from the leaf level up (the RFC 9162 inclusion proof).
   *
   * <h2>Encoding</h2>
   *
   * Big-endian, {@link #encode()} and {@link #decode(byte[])}:
   *
   * <pre>
   * +---------+-----------+-----------+----------+-------------+----------+-----------------+
   * | version | leafIndex | leafCount | leafLen  | leaf bytes  | siblings | sibling hashes  |
   * | 1 byte  | 4 bytes   | 4 bytes   | 2 bytes  | leafLen     | 1 byte   | 32 x siblings   |
   * +---------+-----------+-----------+----------+-------------+----------+-----------------+
   * </pre>
   *
   * Version is 1. An 8 MiB fragment (8192 leaves, 13 siblings) gives a 1,452-byte proof.
   *
   * @param leafIndex 0-based, below leafCount
   * @param leafCount at least 1
   * @param leaf the leaf's bytes, at most {@value #LEAF_SIZE}; copied in and out
   * @param siblings sibling hashes, nearest the leaf first
   */
  public record Proof(int leafIndex, int leafCount, byte[] leaf, List<Hash256> siblings) {
    static final byte VERSION = 1;
    private static final int MAX_SIBLINGS = 32;
    private static final int HEADER = 1 + 4 + 4 + 2;

    /** Checks ranges and copies the leaf and list. */
    public Proof {
      if (leafCount < 1) {
        throw new IllegalArgumentException("leafCount must be >= 1, got " + leafCount);
      }
      if (leafIndex < 0 || leafIndex >= leafCount) {
        throw new IllegalArgumentException(
            "leafIndex must be in [0, " + leafCount + "), got " + leafIndex);
      }
      if (leaf.length > LEAF_SIZE) {
        throw new IllegalArgumentException(
            "a leaf has at most " + LEAF_SIZE + " bytes, got " + leaf.length);
      }
      if (siblings.size() > MAX_SIBLINGS) {
        throw new IllegalArgumentException(
            "at most " + MAX_SIBLINGS + " siblings, got " + siblings.size());
      }
      leaf = leaf.clone();
      siblings = List.copyOf(siblings);
    }

    /** A copy of the leaf bytes. */
    @Override
    public byte[] leaf() {
      return leaf.clone();
    }

    /**
     * Whether this proof shows its leaf under {@code root}: the leaf has the length its position
     * requires (full, except the last), and hashing up the siblings (RFC 9162 §2.1.3.2) uses every
     * sibling and arrives at the root.
     *
     * <p>As in RFC 9162, the root binds a leaf's position along its path but not the total leaf
     * count for leaves in a complete left subtree: an auditor checks {@link #leafCount()} against
     * the fragment length it has on record.
     */
    public boolean verify(Hash256 root) {
      Objects.requireNonNull(root, "root");
      boolean last = leafIndex == leafCount - 1;
      if (last ? leaf.length == 0 && leafCount > 1 : leaf.length != LEAF_SIZE) {
        return false;
      }
      MessageDigest md = Hash256.newDigest();
      byte[] r = leafHash(md, leaf, 0, leaf.length);
      long fn = leafIndex;
      long sn = leafCount - 1L;
      for (Hash256 sibling : siblings) {
        if (sn == 0) {
          return false;
        }
        byte[] p = sibling.toBytes();
        if ((fn & 1) == 1 || fn == sn) {
          r = nodeHash(md, p, r);
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        } else {
          r = nodeHash(md, r, p);
        }
        fn >>= 1;
        sn >>= 1;
      }
      return sn == 0 && root.equals(Hash256.of(r));
    }

    /** The binary form described above. */
    public byte[] encode() {
      ByteBuffer b = ByteBuffer.allocate(HEADER + leaf.length + 1 + 32 * siblings.size());
      b.put(VERSION).putInt(leafIndex).putInt(leafCount).putShort((short) leaf.length).put(leaf);
      b.put((byte) siblings.size());
      for (Hash256 s : siblings) {
        b.put(s.toBytes());
      }
      return b.array();
    }

    /**
     * Parses {@link #encode()}'s form.
     *
     * @throws IllegalArgumentException naming the first thing wrong: length, version, a field out
     *     of range, or trailing bytes
     */
    public static Proof decode(byte[] encoded) {
      Objects.requireNonNull(encoded, "encoded");
      if (encoded.length < HEADER + 1) {
        throw new IllegalArgumentException(
            "proof truncated: " + encoded.length + " bytes, the header alone is " + (HEADER + 1));
      }
      ByteBuffer b = ByteBuffer.wrap(encoded);
      byte version = b.get();
      if (version != VERSION) {
        throw new IllegalArgumentException("unknown proof version " + version);
      }
      int leafIndex = b.getInt();
      int leafCount = b.getInt();
      int leafLen = Short.toUnsignedInt(b.getShort());
      if (leafLen > LEAF_SIZE) {
        throw new IllegalArgumentException(
            "leaf length " + leafLen + " exceeds " + LEAF_SIZE + " bytes");
      }
      if (b.remaining() < leafLen + 1) {
        throw new IllegalArgumentException(
            "proof truncated: leaf of " + leafLen + " bytes, " + b.remaining() + " remain");
      }
      byte[] leaf = new byte[leafLen];
      b.get(leaf);
      int count = Byte.toUnsignedInt(b.get());
      if (count > MAX_SIBLINGS) {
        throw new IllegalArgumentException("sibling count " + count + " exceeds " + MAX_SIBLINGS);
      }
      if (b.remaining() != 32 * count) {
        throw new IllegalArgumentException(
            "proof "
                + (b.remaining() < 32 * count ? "truncated" : "has trailing bytes")
                + ": "
                + count
                + " siblings need "
                + 32 * count
                + " bytes, "
                + b.remaining()
                + " remain");
      }
      List<Hash256> siblings = new ArrayList<>(count);
      byte[] h = new byte[32];
      for (int i = 0; i < count; i++) {
        b.get(h);
        siblings.add(Hash256.of(h));
      }
      return new Proof(leafIndex, leafCount, leaf, siblings);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Proof
          && ((Proof) o).leafIndex == leafIndex
          && ((Proof) o).leafCount == leafCount
          && Arrays.equals(((Proof) o).leaf, leaf)
          && ((Proof) o).siblings.equals(siblings);
    }

    @Override
    public int hashCode() {
      return (leafIndex * 31 + leafCount) * 31 + Arrays.hashCode(leaf) * 31 + siblings.hashCode();
    }

    @Override
    public String toString() {
      return "Proof[leaf "
          + leafIndex
          + " of "
          + leafCount
          + ", "
          + leaf.length
          + " bytes, "
          + siblings.size()
          + " siblings]";
    }
  }
}
