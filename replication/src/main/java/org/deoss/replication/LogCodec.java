package org.deoss.replication;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;

/**
 * The bytes that travel through Raft.
 *
 * <pre>
 *   request (node to leader)   'Q' version u8, count i32, count x (length i32, SignedTransaction)
 *   log entry (leader's)       'B' version u8, timeMillis i64, count i32, count x (length i32, tx)
 *   reply (applied outcomes)   'R' version u8, height i64, count i32, count x outcome
 *   outcome                    0, txHash 32, height i64, blockHash 32, txIndex i32, version i64
 *                            | 1, reason UTF, message UTF
 * </pre>
 *
 * A request with no transactions asks for an empty block (time-driven hooks on an idle ledger). The
 * leader turns a request into a log entry by stamping its clock: every replica then applies the
 * same block at the same time.
 */
final class LogCodec {
  private static final int VERSION = 1;
  private static final int MAX_MESSAGE_LENGTH = 256;

  private LogCodec() {}

  /** A block as ordered by the leader: its time and its transactions. */
  record Entry(long timeMillis, List<SignedTransaction> txs) {
    Entry {
      txs = List.copyOf(txs);
    }
  }

  /** What applying an entry gave: the head height after it and one outcome per transaction. */
  record Reply(long height, List<Object> outcomes) {
    Reply {
      outcomes = List.copyOf(outcomes);
    }
  }

  static byte[] encodeRequest(List<SignedTransaction> txs) {
    return write(
        out -> {
          out.writeByte('Q');
          out.writeByte(VERSION);
          writeTxs(out, txs);
        });
  }

  /** A request of transactions already encoded ({@link SignedTransaction#encode()}). */
  static byte[] encodeRawRequest(List<byte[]> txs) {
    return write(
        out -> {
          out.writeByte('Q');
          out.writeByte(VERSION);
          out.writeInt(txs.size());
          for (byte[] b : txs) {
            out.writeInt(b.length);
            out.write(b);
          }
        });
  }

  static List<SignedTransaction> decodeRequest(byte[] bytes) {
    return read(
        bytes,
        in -> {
          header(in, 'Q');
          return readTxs(in);
        });
  }

  /** The log entry the leader makes of a request: the request's transactions at {@code time}. */
  static byte[] encodeEntry(Entry entry) {
    return write(
        out -> {
          out.writeByte('B');
          out.writeByte(VERSION);
          out.writeLong(entry.timeMillis());
          writeTxs(out, entry.txs());
        });
  }

  static Entry decodeEntry(byte[] bytes) {
    return read(
        bytes,
        in -> {
          header(in, 'B');
          long time = in.readLong();
          return new Entry(time, readTxs(in));
        });
  }

  static byte[] encodeReply(Reply reply) {
    return write(
        out -> {
          out.writeByte('R');
          out.writeByte(VERSION);
          out.writeLong(reply.height());
          out.writeInt(reply.outcomes().size());
          for (Object o : reply.outcomes()) {
            if (o instanceof Receipt r) {
              out.writeByte(0);
              out.write(r.txHash().toBytes());
              out.writeLong(r.blockHeight());
              out.write(r.blockHash().toBytes());
              out.writeInt(r.txIndex());
              out.writeLong(r.objectVersion());
            } else if (o instanceof LedgerRejection j) {
              out.writeByte(1);
              out.writeUTF(j.reason().name());
              String m = String.valueOf(j.getMessage());
              String prefix = j.reason() + ": ";
              m = m.startsWith(prefix) ? m.substring(prefix.length()) : m;
              out.writeUTF(
                  m.length() > MAX_MESSAGE_LENGTH ? m.substring(0, MAX_MESSAGE_LENGTH) : m);
            } else {
              throw new IllegalArgumentException("not an outcome: " + o);
            }
          }
        });
  }

  static Reply decodeReply(byte[] bytes) {
    return read(
        bytes,
        in -> {
          header(in, 'R');
          long height = in.readLong();
          int n = count(in);
          List<Object> outcomes = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            int tag = in.readUnsignedByte();
            if (tag == 0) {
              Hash256 tx = hash(in);
              long h = in.readLong();
              Hash256 block = hash(in);
              outcomes.add(new Receipt(tx, h, block, in.readInt(), in.readLong()));
            } else if (tag == 1) {
              LedgerRejection.Reason reason = LedgerRejection.Reason.valueOf(in.readUTF());
              outcomes.add(new LedgerRejection(reason, in.readUTF()));
            } else {
              throw new IllegalArgumentException("unknown outcome tag " + tag);
            }
          }
          return new Reply(height, outcomes);
        });
  }

  private static void writeTxs(DataOutputStream out, List<SignedTransaction> txs)
      throws IOException {
    out.writeInt(txs.size());
    for (SignedTransaction tx : txs) {
      byte[] b = tx.encode();
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static List<SignedTransaction> readTxs(DataInputStream in) throws IOException {
    int n = count(in);
    List<SignedTransaction> txs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int len = in.readInt();
      if (len < 0 || len > SignedTransaction.MAX_ENCODED_BYTES) {
        throw new IllegalArgumentException("transaction length " + len + " is out of range");
      }
      txs.add(SignedTransaction.decode(in.readNBytes(len)));
    }
    return txs;
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > org.deoss.core.ledger.Block.MAX_TXS) {
      throw new IllegalArgumentException("count " + n + " is out of range");
    }
    return n;
  }

  private static Hash256 hash(DataInputStream in) throws IOException {
    return Hash256.of(in.readNBytes(Hash256.LENGTH));
  }

  private static void header(DataInputStream in, char magic) throws IOException {
    int m = in.readUnsignedByte();
    int v = in.readUnsignedByte();
    if (m != magic || v != VERSION) {
      throw new IllegalArgumentException(
          "expected '" + magic + "' version " + VERSION + ", got " + m + " version " + v);
    }
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] bytes, Reader<T> r) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      T t = r.read(in);
      if (in.available() > 0) {
        throw new IllegalArgumentException(in.available() + " trailing bytes");
      }
      return t;
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated: " + e, e);
    }
  }
}
