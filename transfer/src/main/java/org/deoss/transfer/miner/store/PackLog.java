package org.deoss.transfer.miner.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small fragments packed into append-only log files, so that many puts share one flush.
 *
 * <h2>Files and records</h2>
 *
 * <pre>
 *   ROOT/packs/00000001.pack, 00000002.pack, ...   appended in order; one is active at a time
 *
 *   record:  0      4     5          37       41        49      53
 *            +------+-----+----------+--------+---------+-------+----------------+
 *            | magic| kind| id (32)  | length | time ms | crc32c| data (length)  |
 *            +------+-----+----------+--------+---------+-------+----------------+
 *   magic "DPK1"; kind 1 PUT (carries the fragment), 2 DELETE, 3 TOUCH (restarts the grace
 *   period); crc32c over bytes [0, 49) and the data; big-endian.
 * </pre>
 *
 * <h2>Durability: group commit</h2>
 *
 * A put appends its record under the log's lock (a write to the page cache) and then waits until a
 * flush ({@code fdatasync}) that started after its append has finished: the first waiter flushes
 * everything appended so far, and the puts that arrived meanwhile wait for the next flush, which
 * covers all of them. So N concurrent puts cost about two flushes instead of 2N. A put is
 * acknowledged only after its flush, as a file put is. DELETE and TOUCH records are not flushed on
 * their own (they ride with the next flush): a delete lost in a crash is redone by the next
 * collection, and a lost touch only shortens a grace period to the one of the original put.
 *
 * <h2>Opening: scan, torn tails</h2>
 *
 * Opening reads every pack in order and replays its records into the index (a later record of an id
 * overrides an earlier one). A record whose checksum fails is skipped when its header is plausible
 * and it lies inside the file (damage in the middle: that fragment is dropped and counted), and
 * ends the scan of the pack when it runs past the end of the file or has no magic (a torn tail from
 * a crash: it was never acknowledged, and is never served). Appends after a restart go to a new
 * pack, so a torn tail is never written after.
 *
 * <h2>Space</h2>
 *
 * A pack is sealed when it reaches {@link #PACK_SIZE}; a sealed pack whose fragments were all
 * deleted is removed, unless it holds DELETE records of fragments put in an older pack still on
 * disk (removing them would bring those fragments back at the next open): it goes with the last of
 * those packs. Deleted fragments in a pack that still holds live ones keep their disk space until
 * then (there is no compaction yet); capacity accounting counts live fragment bytes only.
 *
 * <p>Thread-safe. Appends and flushes block on the disk: never call from an event loop.
 */
final class PackLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PackLog.class);
  static final int MAGIC = 0x44504b31; // "DPK1"
  static final byte PUT = 1;
  static final byte DELETE = 2;
  static final byte TOUCH = 3;
  static final int HEADER = 53;
  private static final int CRC_AT = 49;
  static final long PACK_SIZE = 64L << 20;

  /** Where a packed fragment lives, and when it was last put. */
  record Entry(Pack pack, long offset, int length, long timeMillis) {}

  /** One pack file. Counters are guarded by the log's lock. */
  static final class Pack {
    final long seq;
    final Path path;
    final FileChannel channel;
    long written;
    long durable;
    int live;
    boolean sealed;

    /**
     * A flush of this pack failed: the kernel may have dropped its dirty pages, so no later flush
     * can vouch for what was written before. Waiting puts fail; new records go to a new pack.
     */
    boolean failed;

    /** DELETE records in this pack whose fragment's PUT lies in an older pack still on disk. */
    int pins;

    /** Packs holding DELETE records of fragments put in this one, with how many. */
    final Map<Pack, Integer> holders = new HashMap<>();

    Pack(long seq, Path path, FileChannel channel, long written) {
      this.seq = seq;
      this.path = path;
      this.channel = channel;
      this.written = written;
      this.durable = written;
    }
  }

  /** What the scan found, for the open report. */
  record ScanReport(long records, long damaged, long tornBytes) {}

  private final Path dir;
  private final long packSize;
  private final ConcurrentHashMap<Hash256, Entry> entries = new ConcurrentHashMap<>();
  private final TreeMap<Long, Pack> packs = new TreeMap<>();
  private Pack active;
  private long nextSeq = 1; // never reused, even once every pack was removed
  private boolean flushing;
  private ScanReport scanReport;

  /** How a pack is flushed; tests fail it. */
  interface Flush {
    Flush DATA = ch -> ch.force(false);

    void force(FileChannel channel) throws IOException;
  }

  private final Flush flush;

  private PackLog(Path dir, long packSize, Flush flush) {
    this.dir = dir;
    this.packSize = packSize;
    this.flush = flush;
  }

  /**
   * Opens the packs under {@code dir} (made if missing), replaying them; {@code verify} re-roots
   * every fragment and drops those whose bytes no longer match their id (counted as damaged).
   */
  static PackLog open(Path dir, long packSize, boolean verify) throws IOException {
    return open(dir, packSize, verify, Flush.DATA);
  }

  static PackLog open(Path dir, long packSize, boolean verify, Flush flush) throws IOException {
    Files.createDirectories(dir);
    PackLog log = new PackLog(dir, packSize, flush);
    log.scanAll(verify);
    return log;
  }

  ScanReport scanReport() {
    return scanReport;
  }

  /** The live entries: id → where. Read-only view for the store's index. */
  Map<Hash256, Entry> entries() {
    return entries;
  }

  Entry get(Hash256 id) {
    return entries.get(id);
  }

  // ---------------------------------------------------------------- writing

  /**
   * Appends a PUT of {@code data} (all its remaining bytes; not consumed) under {@code id} and
   * returns once it is durable. The caller has checked the bytes against the id and holds the id's
   * lock.
   */
  Entry put(Hash256 id, ByteBuffer data, long timeMillis) throws IOException {
    int length = data.remaining();
    ByteBuffer header = header(PUT, id, length, timeMillis, data);
    Pack pack;
    long offset;
    long end;
    synchronized (this) {
      pack = activeFor(HEADER + length);
      offset = pack.written;
      writeFully(pack.channel, new ByteBuffer[] {header, data.duplicate()}, offset);
      pack.written += HEADER + length;
      pack.live++; // counted now, so the pack is not removed while this put waits
      end = pack.written;
    }
    boolean durable = false;
    try {
      awaitDurable(pack, end);
      durable = true;
    } finally {
      if (!durable) {
        release(pack);
      }
    }
    Entry e = new Entry(pack, offset + HEADER, length, timeMillis);
    entries.put(id, e);
    return e;
  }

  /** Appends a DELETE of {@code id} (not flushed) and forgets it; {@code false} if not packed. */
  boolean delete(Hash256 id) throws IOException {
    Entry e = entries.get(id);
    if (e == null) {
      return false;
    }
    Pack tomb = appendUnflushed(DELETE, id, e.timeMillis());
    entries.remove(id);
    synchronized (this) {
      pin(tomb, e.pack());
    }
    release(e.pack());
    return true;
  }

  /** Restarts the grace period of {@code id} (a TOUCH record, not flushed). */
  void touch(Hash256 id, long timeMillis) throws IOException {
    Entry e = entries.get(id);
    if (e == null) {
      return;
    }
    appendUnflushed(TOUCH, id, timeMillis);
    entries.put(id, new Entry(e.pack(), e.offset(), e.length(), timeMillis));
  }

  private Pack appendUnflushed(byte kind, Hash256 id, long timeMillis) throws IOException {
    ByteBuffer header = header(kind, id, 0, timeMillis, ByteBuffer.allocate(0));
    synchronized (this) {
      Pack pack = activeFor(HEADER);
      writeFully(pack.channel, new ByteBuffer[] {header}, pack.written);
      pack.written += HEADER;
      return pack;
    }
  }

  /**
   * Records that {@code tomb} holds a DELETE of a fragment put in {@code target}: {@code tomb} is
   * kept while {@code target} exists, or the fragment would come back at the next open.
   */
  private void pin(Pack tomb, Pack target) {
    if (tomb != target && packs.get(target.seq) == target) {
      tomb.pins++;
      target.holders.merge(tomb, 1, Integer::sum);
    }
  }

  private synchronized void release(Pack pack) {
    pack.live--;
    if (removable(pack)) {
      removePack(pack);
    }
  }

  private static boolean removable(Pack p) {
    return p.sealed && p.live == 0 && p.pins == 0;
  }

  /** Removes a pack with nothing left that matters, and then the packs only it kept. */
  private void removePack(Pack pack) {
    if (packs.remove(pack.seq) == null) {
      return;
    }
    try {
      pack.channel.close();
      Files.deleteIfExists(pack.path);
      LOG.info("removed pack {}: no live fragment left", pack.path);
    } catch (IOException e) {
      LOG.warn("cannot remove the empty pack {}: {}", pack.path, e.toString());
    }
    for (Map.Entry<Pack, Integer> h : pack.holders.entrySet()) {
      Pack holder = h.getKey();
      holder.pins -= h.getValue();
      if (holder != active && removable(holder)) {
        removePack(holder);
      }
    }
    pack.holders.clear();
  }

  private static ByteBuffer header(
      byte kind, Hash256 id, int length, long timeMillis, ByteBuffer data) {
    ByteBuffer h = ByteBuffer.allocate(HEADER);
    h.putInt(MAGIC).put(kind).put(id.toBytes()).putInt(length).putLong(timeMillis);
    CRC32C crc = new CRC32C();
    crc.update(h.array(), 0, CRC_AT);
    crc.update(data.duplicate());
    h.putInt((int) crc.getValue());
    return h.flip();
  }

  /** The active pack, sealing it and starting a new one when {@code bytes} do not fit. */
  private Pack activeFor(long bytes) throws IOException {
    if (active != null && active.written > 0 && active.written + bytes > packSize) {
      active.sealed = true;
      Pack old = active;
      active = null;
      if (removable(old)) {
        removePack(old);
      }
    }
    if (active == null) {
      long seq = nextSeq++;
      Path path = dir.resolve(String.format("%08d.pack", seq));
      FileChannel ch =
          FileChannel.open(
              path,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      Layout.syncDirectory(dir); // the new file's entry, before any record in it is acknowledged
      active = new Pack(seq, path, ch, 0);
      packs.put(seq, active);
    }
    return active;
  }

  private static void writeFully(FileChannel ch, ByteBuffer[] bufs, long at) throws IOException {
    long position = at;
    for (ByteBuffer b : bufs) {
      while (b.hasRemaining()) {
        position += ch.write(b, position);
      }
    }
  }

  /**
   * Returns once {@code pack} is durable up to {@code end}: the first waiter flushes everything
   * written so far; waiters that arrive during a flush wait for the next one.
   */
  private void awaitDurable(Pack pack, long end) throws IOException {
    while (true) {
      long target;
      synchronized (this) {
        while (pack.durable < end && flushing) {
          try {
            wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a flush");
          }
        }
        if (pack.durable >= end) {
          return;
        }
        if (pack.failed) {
          throw new IOException("an earlier flush of " + pack.path + " failed");
        }
        flushing = true;
        target = pack.written;
      }
      boolean ok = false;
      try {
        flush.force(pack.channel);
        ok = true;
      } finally {
        synchronized (this) {
          flushing = false;
          if (ok) {
            pack.durable = Math.max(pack.durable, target);
          } else {
            pack.failed = true;
            if (pack == active) {
              pack.sealed = true;
              active = null;
            }
          }
          notifyAll();
        }
      }
    }
  }

  // ---------------------------------------------------------------- reading

  /** Opens a packed fragment for reading, through its own channel on the pack file. */
  FragmentReader openReader(Hash256 id, Entry e) throws IOException {
    return new FragmentReader(
        id,
        e.pack().path,
        FileChannel.open(e.pack().path, StandardOpenOption.READ),
        e.offset(),
        e.length());
  }

  // ---------------------------------------------------------------- scanning

  private void scanAll(boolean verify) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.pack")) {
      s.forEach(files::add);
    }
    files.sort(null);
    long records = 0;
    long damaged = 0;
    long torn = 0;
    for (Path f : files) {
      String name = f.getFileName().toString();
      long seq;
      try {
        seq = Long.parseLong(name.substring(0, name.length() - ".pack".length()));
      } catch (NumberFormatException e) {
        LOG.warn("{} is not a pack (name); left alone", f);
        continue;
      }
      FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
      Pack pack = new Pack(seq, f, ch, ch.size());
      pack.sealed = true;
      nextSeq = Math.max(nextSeq, seq + 1);
      packs.put(seq, pack);
      long[] counts = scan(pack, verify);
      records += counts[0];
      damaged += counts[1];
      torn += counts[2];
    }
    for (Pack p : new ArrayList<>(packs.values())) {
      if (removable(p)) {
        removePack(p);
      }
    }
    scanReport = new ScanReport(records, damaged, torn);
  }

  /** Replays one pack; returns {records, damaged, torn bytes}. */
  private long[] scan(Pack pack, boolean verify) throws IOException {
    long size = pack.channel.size();
    long at = 0;
    long records = 0;
    long damaged = 0;
    ByteBuffer h = ByteBuffer.allocate(HEADER);
    while (at + HEADER <= size) {
      h.clear();
      readFully(pack.channel, h, at);
      h.flip();
      int magic = h.getInt();
      byte kind = h.get();
      byte[] idBytes = new byte[Hash256.LENGTH];
      h.get(idBytes);
      int length = h.getInt();
      long time = h.getLong();
      int crc = h.getInt();
      boolean plausible =
          magic == MAGIC
              && kind >= PUT
              && kind <= TOUCH
              && length >= 0
              && (kind == PUT || length == 0);
      if (!plausible || at + HEADER + length > size) {
        break; // a torn tail (or garbage): nothing after it was acknowledged
      }
      ByteBuffer data = ByteBuffer.allocate(length);
      readFully(pack.channel, data, at + HEADER);
      data.flip();
      CRC32C c = new CRC32C();
      c.update(h.array(), 0, CRC_AT);
      c.update(data.duplicate());
      Hash256 id = Hash256.of(idBytes);
      if ((int) c.getValue() != crc
          || (verify && kind == PUT && !FragmentMerkle.root(data.array(), 0, length).equals(id))) {
        LOG.warn(
            "pack {}: the {} record of fragment {} at {} is damaged; dropped",
            pack.path,
            kind,
            id,
            at);
        damaged++;
        at += HEADER + length;
        continue;
      }
      records++;
      replay(pack, kind, id, at, length, time);
      at += HEADER + length;
    }
    if (at < size) {
      LOG.warn(
          "pack {}: {} bytes after offset {} are not a whole record (a write cut short by a"
              + " crash); ignored",
          pack.path,
          size - at,
          at);
    }
    pack.written = size;
    pack.durable = size;
    return new long[] {records, damaged, size - at};
  }

  private void replay(Pack pack, byte kind, Hash256 id, long at, int length, long time) {
    Entry old = entries.get(id);
    switch (kind) {
      case PUT -> {
        if (old != null) {
          old.pack().live--;
        }
        entries.put(id, new Entry(pack, at + HEADER, length, time));
        pack.live++;
      }
      case DELETE -> {
        if (old != null) {
          old.pack().live--;
          entries.remove(id);
          pin(pack, old.pack());
        }
      }
      default -> {
        if (old != null) {
          entries.put(id, new Entry(old.pack(), old.offset(), old.length(), time));
        }
      }
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    long position = at;
    while (b.hasRemaining()) {
      int n = ch.read(b, position);
      if (n < 0) {
        throw new IOException("unexpected end of " + ch + " at " + position);
      }
      position += n;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    for (Pack p : packs.values()) {
      p.channel.close();
    }
  }
}
