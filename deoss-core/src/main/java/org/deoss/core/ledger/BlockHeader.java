package org.deoss.core.ledger;

import java.util.Objects;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.codec.ByteReader;
import org.deoss.core.ledger.codec.ByteWriter;

/**
 * What a block hash covers:
 *
 * <pre>
 *   "deoss block v1":str  height:v  parent[32]  timeMillis:f64  txCount:v  txRoot[32]
 * </pre>
 *
 * Block 1's parent is the genesis hash; each later block's parent is the hash of the block before.
 */
public record BlockHeader(
    long height, Hash256 parent, long timeMillis, int txCount, Hash256 txRoot) {
  public BlockHeader {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(txRoot, "txRoot");
  }

  public byte[] encode() {
    ByteWriter w = new ByteWriter(128);
    write(w);
    return w.toByteArray();
  }

  void write(ByteWriter w) {
    w.string("deoss block v1").varint(height).hash(parent).fixed64(timeMillis);
    w.varint(txCount).hash(txRoot);
  }

  static BlockHeader read(ByteReader r) {
    String label = r.string("header.label", 32);
    if (!label.equals("deoss block v1")) {
      throw r.invalid("header.label", "expected 'deoss block v1', got '" + label + "'");
    }
    return new BlockHeader(
        r.varint("header.height"),
        r.hash("header.parent"),
        r.fixed64("header.time"),
        r.varint32("header.txCount", 0, Integer.MAX_VALUE),
        r.hash("header.txRoot"));
  }

  /** SHA-256 of the encoded header. */
  public Hash256 hash() {
    return Hash256.digest(encode());
  }
}
