package org.deoss.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.PosixAttributes;

/**
 * One dirty entry as the journal keeps it, and its byte layout (big-endian, {@link
 * DataOutputStream} conventions: a string is a 2-byte length and modified UTF-8):
 *
 * <pre>
 *   int     magic 0x44434A31 ("DCJ1")
 *   byte[32] owner      UTF bucket      UTF key      UTF id (names the staging file)
 *   boolean sealed      (true: written at close/fsync/flush; false: writes not acknowledged yet)
 *   long    baseVersion (0: a new object)
 *   long    replaceVersion (a new object renamed over a committed one: commit only if the key is
 *           still at this version; 0: only if the key is absent)
 *   int     segmentSize of the base (0 for a new object)
 *   long    size        long baseValid (offsets below it not present locally come from the base)
 *   boolean dataDirty   (false: only attributes changed)
 *   int n, byte[n] touched segments (BitSet)     int n, byte[n] present segments (BitSet)
 *   int mode  int uid  int gid  long mtimeNanos  long ctimeNanos  UTF symlinkTarget
 *   int xattrCount, then per xattr: UTF name, int n, byte[n] value
 *   boolean hasPendingFid, byte[32] fid (the version being committed, to recognise it on replay)
 *   int     CRC32 of every byte before it
 * </pre>
 */
record JournalRecord(
    String id,
    ObjectPath path,
    boolean sealed,
    long baseVersion,
    long replaceVersion,
    int segmentSize,
    long size,
    long baseValid,
    boolean dataDirty,
    BitSet touched,
    BitSet present,
    PosixAttributes attributes,
    Hash256 pendingFid) {
  static final int MAGIC = 0x44434A31;

  byte[] encode() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.write(path.owner().toBytes());
      out.writeUTF(path.bucket());
      out.writeUTF(path.key());
      out.writeUTF(id);
      out.writeBoolean(sealed);
      out.writeLong(baseVersion);
      out.writeLong(replaceVersion);
      out.writeInt(segmentSize);
      out.writeLong(size);
      out.writeLong(baseValid);
      out.writeBoolean(dataDirty);
      writeBytes(out, touched.toByteArray());
      writeBytes(out, present.toByteArray());
      PosixAttributes a = attributes;
      out.writeInt(a.mode());
      out.writeInt(a.uid());
      out.writeInt(a.gid());
      out.writeLong(a.mtimeNanos());
      out.writeLong(a.ctimeNanos());
      out.writeUTF(a.symlinkTarget());
      out.writeInt(a.xattrNames().size());
      for (String name : a.xattrNames()) {
        out.writeUTF(name);
        writeBytes(out, a.xattr(name));
      }
      out.writeBoolean(pendingFid != null);
      if (pendingFid != null) {
        out.write(pendingFid.toBytes());
      }
      out.flush();
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory stream failed", e);
    }
  }

  /**
   * Parses a record.
   *
   * @throws IOException naming what is wrong when the bytes are not a whole, intact record
   */
  static JournalRecord decode(byte[] b) throws IOException {
    if (b.length < 8) {
      throw new IOException("journal record has " + b.length + " bytes, too short");
    }
    CRC32 crc = new CRC32();
    crc.update(b, 0, b.length - 4);
    int stored =
        (b[b.length - 4] & 0xff) << 24
            | (b[b.length - 3] & 0xff) << 16
            | (b[b.length - 2] & 0xff) << 8
            | (b[b.length - 1] & 0xff);
    if ((int) crc.getValue() != stored) {
      throw new IOException("journal record checksum does not match (torn or corrupted)");
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(b, 0, b.length - 4));
    int magic = in.readInt();
    if (magic != MAGIC) {
      throw new IOException("journal record magic " + Integer.toHexString(magic) + " unknown");
    }
    byte[] owner = in.readNBytes(AccountId.LENGTH);
    ObjectPath path = new ObjectPath(AccountId.of(owner), in.readUTF(), in.readUTF());
    String id = in.readUTF();
    boolean sealed = in.readBoolean();
    long baseVersion = in.readLong();
    long replaceVersion = in.readLong();
    int segmentSize = in.readInt();
    long size = in.readLong();
    long baseValid = in.readLong();
    boolean dataDirty = in.readBoolean();
    BitSet touched = BitSet.valueOf(readBytes(in));
    BitSet present = BitSet.valueOf(readBytes(in));
    int mode = in.readInt();
    int uid = in.readInt();
    int gid = in.readInt();
    long mtime = in.readLong();
    long ctime = in.readLong();
    String symlink = in.readUTF();
    int xattrCount = in.readInt();
    if (xattrCount < 0 || xattrCount > 4096) {
      throw new IOException("journal record has " + xattrCount + " xattrs");
    }
    Map<String, byte[]> xattrs = new LinkedHashMap<>();
    for (int i = 0; i < xattrCount; i++) {
      xattrs.put(in.readUTF(), readBytes(in));
    }
    Hash256 fid = in.readBoolean() ? Hash256.of(in.readNBytes(Hash256.LENGTH)) : null;
    if (size < 0 || baseValid < 0 || baseVersion < 0 || replaceVersion < 0 || segmentSize < 0) {
      throw new IOException("journal record has a negative size, version or segment size");
    }
    PosixAttributes attrs;
    try {
      attrs = PosixAttributes.of(mode, uid, gid, mtime, ctime, symlink, xattrs);
    } catch (IllegalArgumentException e) {
      throw new IOException("journal record attributes: " + e.getMessage(), e);
    }
    return new JournalRecord(
        id,
        path,
        sealed,
        baseVersion,
        replaceVersion,
        segmentSize,
        size,
        baseValid,
        dataDirty,
        touched,
        present,
        attrs,
        fid);
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > (1 << 24)) {
      throw new IOException("journal record field length " + n + " out of range");
    }
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new IOException("journal record ends inside a field");
    }
    return b;
  }
}
