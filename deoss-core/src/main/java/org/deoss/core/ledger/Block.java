package org.deoss.core.ledger;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.codec.ByteReader;
import org.deoss.core.ledger.codec.ByteWriter;

/**
 * A block: its height, its parent's hash, its block time and the transactions the ledger accepted
 * in it, in order. Encoded as {@code "deoss block v1":str height:v parent[32] timeMillis:f64 nTx:v
 * (txLength:v tx)*}. Its hash is the hash of its {@link BlockHeader}, whose {@code txRoot} is the
 * Merkle root of the transaction hashes: leaves are the transaction hashes, an inner node is {@code
 * SHA-256(0x01 || left || right)}, an odd last node moves up unchanged, and the root of no
 * transactions is {@link Hash256#ZERO}.
 */
public record Block(long height, Hash256 parent, long timeMillis, List<SignedTransaction> txs) {
  /** Most transactions in one block. */
  public static final int MAX_TXS = 1 << 20;

  public Block {
    Objects.requireNonNull(parent, "parent");
    txs = List.copyOf(txs);
    if (height < 1) {
      throw new IllegalArgumentException("block heights start at 1, got " + height);
    }
  }

  /** The header (computes the transaction root). */
  public BlockHeader header() {
    return header(txHashes());
  }

  /** The hashes of the transactions, in order. */
  public List<Hash256> txHashes() {
    List<Hash256> hashes = new ArrayList<>(txs.size());
    for (SignedTransaction tx : txs) {
      hashes.add(tx.hash());
    }
    return hashes;
  }

  BlockHeader header(List<Hash256> txHashes) {
    return new BlockHeader(height, parent, timeMillis, txs.size(), merkleRoot(txHashes));
  }

  /** The block hash (the hash of the header). */
  public Hash256 hash() {
    return header().hash();
  }

  /** The Merkle root of {@code leaves} as described above. */
  public static Hash256 merkleRoot(List<Hash256> leaves) {
    if (leaves.isEmpty()) {
      return Hash256.ZERO;
    }
    List<Hash256> level = new ArrayList<>(leaves);
    MessageDigest md = Hash256.newDigest();
    while (level.size() > 1) {
      List<Hash256> up = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i + 1 < level.size(); i += 2) {
        md.update((byte) 1);
        level.get(i).updateDigest(md);
        level.get(i + 1).updateDigest(md);
        up.add(Hash256.wrapDigest(md));
      }
      if (level.size() % 2 == 1) {
        up.add(level.get(level.size() - 1));
      }
      level = up;
    }
    return level.get(0);
  }

  public byte[] encode() {
    ByteWriter w = new ByteWriter(256 + txs.size() * 1024);
    w.string("deoss block v1").varint(height).hash(parent).fixed64(timeMillis).varint(txs.size());
    for (SignedTransaction tx : txs) {
      byte[] b = tx.encode();
      w.bytes(b);
    }
    return w.toByteArray();
  }

  /**
   * Decodes {@link #encode()} output.
   *
   * @throws org.deoss.core.ledger.codec.CodecException naming the malformed field
   */
  public static Block decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    String label = r.string("block.label", 32);
    if (!label.equals("deoss block v1")) {
      throw r.invalid("block.label", "expected 'deoss block v1', got '" + label + "'");
    }
    long height = r.varint("block.height", 1, Long.MAX_VALUE);
    Hash256 parent = r.hash("block.parent");
    long time = r.fixed64("block.time");
    int n = r.count("block.txs", MAX_TXS);
    List<SignedTransaction> txs = new ArrayList<>(Math.min(n, 4096));
    for (int i = 0; i < n; i++) {
      byte[] b = r.bytes("block.tx[" + i + "]", SignedTransaction.MAX_ENCODED_BYTES);
      ByteReader tr = new ByteReader(b);
      txs.add(SignedTransaction.read(tr));
      tr.expectEnd("block.tx[" + i + "]");
    }
    r.expectEnd("block");
    return new Block(height, parent, time, txs);
  }
}
