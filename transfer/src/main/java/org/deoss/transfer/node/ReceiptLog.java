package org.deoss.transfer.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.Receipt;

/**
 * The receipts of the last {@code keep} transactions the node acknowledged, in a file, so that
 * {@code GET /v1/transactions/{hash}} still answers after a node restart. Each receipt is appended
 * before its submitter is told, as one fixed-size record:
 *
 * <pre>
 *   txHash[32] blockHeight:i64 blockHash[32] txIndex:i32 objectVersion:i64 crc32c:i32   (88 bytes)
 * </pre>
 *
 * Appends go to the operating system, not to the disk (no fsync): the log survives a crash of the
 * node process, not necessarily of the machine; it is an aid, the ledger stays the authority. On
 * open, a torn or corrupt tail is cut. When the file holds twice {@code keep} records it is
 * rewritten with the last {@code keep} (temporary file, fsync, rename). Thread-safe (monitor).
 */
final class ReceiptLog implements AutoCloseable {
  static final int RECORD = 88;

  private final Path file;
  private final int keep;
  private final LinkedHashMap<Hash256, Receipt> recent = new LinkedHashMap<>();
  private FileChannel ch;
  private long records;

  private ReceiptLog(Path file, int keep) {
    this.file = file;
    this.keep = keep;
  }

  /** Opens (or creates) the log in {@code file}, loading its last {@code keep} receipts. */
  static ReceiptLog open(Path file, int keep) throws IOException {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be positive, got " + keep);
    }
    ReceiptLog log = new ReceiptLog(file, keep);
    log.load();
    return log;
  }

  private void load() throws IOException {
    ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    long size = ch.size();
    ByteBuffer b = ByteBuffer.allocate(RECORD);
    long pos = 0;
    while (pos + RECORD <= size) {
      b.clear();
      while (b.hasRemaining() && ch.read(b, pos + b.position()) > 0) {
        // fill
      }
      b.flip();
      Receipt r = decode(b);
      if (r == null) {
        break;
      }
      remember(r);
      pos += RECORD;
    }
    if (pos != size) {
      ch.truncate(pos);
    }
    records = pos / RECORD;
    ch.position(pos);
  }

  /** Appends a receipt (to the operating system) and remembers it. */
  synchronized void append(Receipt r) throws IOException {
    ByteBuffer b = encode(r);
    while (b.hasRemaining()) {
      ch.write(b);
    }
    remember(r);
    if (++records >= 2L * keep) {
      compact();
    }
  }

  synchronized Optional<Receipt> find(Hash256 txHash) {
    return Optional.ofNullable(recent.get(txHash));
  }

  private void remember(Receipt r) {
    recent.remove(r.txHash());
    recent.put(r.txHash(), r);
    for (Iterator<Hash256> it = recent.keySet().iterator(); recent.size() > keep; ) {
      it.next();
      it.remove();
    }
  }

  private void compact() throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    List<Receipt> kept = new ArrayList<>(recent.values());
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      for (Receipt r : kept) {
        ByteBuffer b = encode(r);
        while (b.hasRemaining()) {
          out.write(b);
        }
      }
      out.force(true);
    }
    ch.close();
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    ch.position(ch.size());
    records = kept.size();
  }

  static ByteBuffer encode(Receipt r) {
    ByteBuffer b = ByteBuffer.allocate(RECORD);
    b.put(r.txHash().toBytes()).putLong(r.blockHeight()).put(r.blockHash().toBytes());
    b.putInt(r.txIndex()).putLong(r.objectVersion());
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, RECORD - 4);
    b.putInt((int) crc.getValue());
    return b.flip();
  }

  /** The receipt in {@code b}, or null if its checksum fails. */
  static Receipt decode(ByteBuffer b) {
    if (b.remaining() < RECORD) {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(b.array(), b.arrayOffset() + b.position(), RECORD - 4);
    if ((int) crc.getValue() != b.getInt(b.position() + RECORD - 4)) {
      return null;
    }
    byte[] tx = new byte[32];
    byte[] block = new byte[32];
    b.get(tx);
    long height = b.getLong();
    b.get(block);
    int index = b.getInt();
    long version = b.getLong();
    return new Receipt(Hash256.of(tx), height, Hash256.of(block), index, version);
  }

  /** Forces the file to disk and closes it. */
  @Override
  public synchronized void close() throws IOException {
    if (ch.isOpen()) {
      ch.force(true);
      ch.close();
    }
  }
}
