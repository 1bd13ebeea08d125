package org.deoss.core.ledger.journal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of opaque byte records in a directory of segment files, durable at {@link
 * #sync()}.
 *
 * <h2>Files</h2>
 *
 * <pre>
 *  dir/
 *    journal.lock                          held (FileLock) while the log is open
 *    journal-0000000000000000001.log       records 1 .. 4711
 *    journal-0000000000000004712.log       records 4712 .. (active segment)
 * </pre>
 *
 * A segment is named after the sequence of its first record (19 decimal digits) and starts with a
 * 16-byte header repeating that sequence; the records follow, each framed as:
 *
 * <pre>
 *  +--------+-----------------+----------------------------+----------------------+
 *  | 0xD7   | length (u32 BE) | CRC32C(length ‖ payload)   | payload              |
 *  | 1 byte | 4 bytes         | 4 bytes (u32 BE)           | length bytes         |
 *  +--------+-----------------+----------------------------+----------------------+
 * </pre>
 *
 * A record's sequence is its position in the whole log: 1 for the first record ever appended, then
 * consecutive across segments. The active segment is rolled when the next record would take it past
 * {@link JournalOptions#segmentBytes()} (a segment holds at least one record). Before the new
 * segment is created, the old one is forced, so only the last segment can ever have a torn tail.
 *
 * <h2>Durability</h2>
 *
 * {@link #append} only buffers; a record is durable once {@link #sync()} has returned (it writes
 * the buffer and calls {@code FileChannel.force(false)}). Acknowledge nothing before that. Creating
 * or deleting a segment also forces the directory, so the new name survives a crash; some platforms
 * (Windows) cannot open a directory for that and throw, which is ignored there (logged at DEBUG)
 * since their file systems journal names themselves.
 *
 * <h2>Recovery</h2>
 *
 * {@link #open} reads every segment and verifies every record. Bytes after the last valid record of
 * the <em>last</em> segment (a torn write, or garbage) are truncated, with a warning that says how
 * many bytes were dropped from which offset; a record that has not been synced may be lost, a
 * synced one never is. A bad record in any other segment cannot be a torn write (a segment is
 * forced before the next is created), so it is an {@link IOException} naming the file and offset:
 * the log does not silently drop acknowledged data. Limitation: a bit flip inside the last segment
 * is indistinguishable from a torn tail, so records after it are truncated too.
 *
 * <h2>Threads</h2>
 *
 * Meant for a single writer thread (the ledger's sequencer, or a {@link GroupCommitter}): replay at
 * start, then append and sync. Methods are {@code synchronized}, so a call from another thread
 * (close at shutdown, a metric read) is safe, but interleaving appends from several threads would
 * interleave their sequences. The directory is locked against a second open, in this process or
 * another.
 *
 * <h2>Errors</h2>
 *
 * After an {@link IOException} from a write or a force (disk full, I/O error), the log cannot know
 * what reached the disk: it fails, and every later {@link #append} and {@link #sync} throws {@link
 * IllegalStateException} carrying the first error. Close it and {@link #open} again to recover.
 * Using a closed log throws {@link IllegalStateException}.
 */
public final class RecordLog implements RecordSink, Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(RecordLog.class);
  static final String LOCK_FILE = "journal.lock";

  private final Path dir;
  private final JournalOptions options;
  private final RecoveryReport recovery;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final List<Segment> segments;
  private FileChannel active;
  private long activeSize;
  private byte[] buffer;
  private int buffered;
  private boolean dirty;
  private long nextSequence;
  private long syncedSequence;
  private long syncCount;
  private boolean closed;
  private IOException failure;

  private RecordLog(
      Path dir,
      JournalOptions options,
      FileChannel lockChannel,
      FileLock lock,
      List<Segment> segments,
      RecoveryReport recovery)
      throws IOException {
    this.dir = dir;
    this.options = options;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.segments = segments;
    this.recovery = recovery;
    this.nextSequence = recovery.lastSequence() + 1;
    this.syncedSequence = recovery.lastSequence();
    this.buffer = new byte[Math.min(options.writeBufferBytes(), 1 << 16)];
    Segment last = segments.get(segments.size() - 1);
    this.active = FileChannel.open(last.path(), StandardOpenOption.READ, StandardOpenOption.WRITE);
    this.activeSize = active.size();
  }

  /**
   * Opens (or creates) the log in {@code dir}, recovering it as described in the class comment.
   *
   * @throws IOException when a segment other than the last is corrupt, segments are missing, or the
   *     directory is locked by another open log
   */
  public static RecordLog open(Path dir, JournalOptions options) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    Files.createDirectories(dir);
    FileChannel lockChannel =
        FileChannel.open(
            dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new IOException("journal directory " + dir + " is already open (locked)");
      }
      List<Segment> segments = listSegments(dir);
      RecoveryReport report = Recovery.recover(dir, segments);
      return new RecordLog(dir, options, lockChannel, lock, segments, report);
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
  }

  private static List<Segment> listSegments(Path dir) throws IOException {
    List<Segment> list = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "journal-*.log")) {
      for (Path f : files) {
        long first = Segment.parseName(f.getFileName().toString());
        if (first >= 1) {
          list.add(new Segment(f, first));
        }
      }
    }
    list.sort(Comparator.comparingLong(Segment::firstSequence));
    return list;
  }

  /** What {@link #open} found and repaired. */
  public RecoveryReport recovery() {
    return recovery;
  }

  /** The settings the log was opened with. */
  public JournalOptions options() {
    return options;
  }

  /** The directory of the log. */
  public Path directory() {
    return dir;
  }

  /** Sequence of the oldest record kept (the next record's sequence when the log is empty). */
  public synchronized long firstSequence() {
    return segments.get(0).firstSequence();
  }

  /** Sequence of the newest appended record, durable or not; 0 when nothing was ever appended. */
  public synchronized long lastSequence() {
    return nextSequence - 1;
  }

  /** Sequence of the newest durable record (as of the last successful {@link #sync()}). */
  public synchronized long syncedSequence() {
    return syncedSequence;
  }

  /** How many times the log forced data to disk (syncs with nothing to write are not counted). */
  public synchronized long syncCount() {
    return syncCount;
  }

  /** Number of segment files. */
  public synchronized int segmentCount() {
    return segments.size();
  }

  /**
   * Buffers one record (not durable until {@link #sync()}) and returns its sequence.
   *
   * @throws IllegalArgumentException when the payload is larger than {@link
   *     JournalOptions#maxRecordBytes()}
   * @throws IOException when writing fails (the log then refuses further appends)
   */
  public synchronized long append(byte[] payload) throws IOException {
    checkWritable();
    checkSize(payload);
    return guarded(() -> appendValid(payload));
  }

  /**
   * Buffers the records in order; returns the sequence of the last one ({@link #lastSequence()}
   * when the list is empty). All sizes are checked first: either all are buffered or none.
   */
  @Override
  public synchronized long appendAll(List<byte[]> payloads) throws IOException {
    checkWritable();
    for (byte[] p : payloads) {
      checkSize(p);
    }
    return guarded(
        () -> {
          long seq = nextSequence - 1;
          for (byte[] p : payloads) {
            seq = appendValid(p);
          }
          return seq;
        });
  }

  /** Writes the buffered records and forces them to disk; after it returns they are durable. */
  @Override
  public synchronized void sync() throws IOException {
    checkWritable();
    guarded(
        () -> {
          flushAndForce();
          return 0L;
        });
  }

  private interface IoAction {
    long run() throws IOException;
  }

  private long guarded(IoAction action) throws IOException {
    try {
      return action.run();
    } catch (IOException e) {
      failure = e;
      LOG.error("journal {}: write failed, refusing further appends: {}", dir, e.toString());
      throw e;
    }
  }

  private void checkSize(byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    if (payload.length > options.maxRecordBytes()) {
      throw new IllegalArgumentException(
          "record of "
              + payload.length
              + " bytes exceeds maxRecordBytes "
              + options.maxRecordBytes()
              + " of journal "
              + dir);
    }
  }

  private long appendValid(byte[] payload) throws IOException {
    int frame = RecordFrame.HEADER_BYTES + payload.length;
    long inSegment = activeSize + buffered;
    if (inSegment > Segment.HEADER_BYTES && inSegment + frame > options.segmentBytes()) {
      roll();
    }
    if (buffered > 0 && buffered + frame > options.writeBufferBytes()) {
      flush();
    }
    if (buffered + frame > buffer.length) {
      int grown = (int) Math.min(Math.max((long) buffer.length * 2, buffered + frame), 1L << 30);
      buffer = Arrays.copyOf(buffer, Math.max(grown, buffered + frame));
    }
    buffered = RecordFrame.encode(payload, buffer, buffered);
    return nextSequence++;
  }

  private void flush() throws IOException {
    if (buffered == 0) {
      return;
    }
    ByteBuffer bb = ByteBuffer.wrap(buffer, 0, buffered);
    long pos = activeSize;
    while (bb.hasRemaining()) {
      pos += active.write(bb, pos);
    }
    activeSize = pos;
    buffered = 0;
    dirty = true;
  }

  private void flushAndForce() throws IOException {
    flush();
    if (dirty) {
      active.force(false);
      dirty = false;
      syncCount++;
    }
    syncedSequence = nextSequence - 1;
  }

  private void roll() throws IOException {
    flushAndForce();
    active.close();
    Segment seg = new Segment(dir.resolve(Segment.fileName(nextSequence)), nextSequence);
    active = createSegment(seg);
    activeSize = Segment.HEADER_BYTES;
    segments.add(seg);
    LOG.debug("journal {}: rolled to {}", dir, seg.path().getFileName());
  }

  static FileChannel createSegment(Segment seg) throws IOException {
    FileChannel ch =
        FileChannel.open(
            seg.path(),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    try {
      ByteBuffer header = ByteBuffer.wrap(Segment.header(seg.firstSequence()));
      while (header.hasRemaining()) {
        ch.write(header, header.position());
      }
      ch.force(true);
      syncDirectory(seg.path().getParent());
      return ch;
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Forces a directory so that created, renamed or deleted names in it are durable. Platforms that
   * cannot open a directory as a channel (Windows) throw; that is ignored.
   */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      LOG.debug("cannot force directory {} on this platform: {}", dir, e.toString());
    }
  }

  /**
   * Visits the durable records from {@code fromSequence} up to {@link #syncedSequence()} in order,
   * streaming (one record in memory at a time). Meant for start-up, before appends; records
   * appended but not yet synced are not visited.
   *
   * @throws IllegalArgumentException when {@code fromSequence} was deleted or is past the end
   * @throws IOException when a record no longer verifies (damaged after open), naming file and
   *     offset, or when the visitor throws
   */
  public synchronized void replay(long fromSequence, RecordVisitor visitor) throws IOException {
    checkOpen();
    Objects.requireNonNull(visitor, "visitor");
    long first = segments.get(0).firstSequence();
    long limit = syncedSequence;
    if (fromSequence < first || fromSequence > limit + 1) {
      throw new IllegalArgumentException(
          "replay from sequence "
              + fromSequence
              + " is outside the log "
              + dir
              + ", which holds "
              + first
              + ".."
              + limit);
    }
    for (int i = 0; i < segments.size() && fromSequence <= limit; i++) {
      Segment seg = segments.get(i);
      long segEnd = i + 1 < segments.size() ? segments.get(i + 1).firstSequence() - 1 : limit;
      if (segEnd < fromSequence) {
        continue;
      }
      long end = Math.min(segEnd, limit);
      replaySegment(seg, fromSequence, end, visitor, i == segments.size() - 1);
      fromSequence = end + 1;
    }
  }

  private void replaySegment(
      Segment seg, long from, long to, RecordVisitor visitor, boolean isActive) throws IOException {
    try (FileChannel ch = FileChannel.open(seg.path(), StandardOpenOption.READ)) {
      long fileEnd = isActive ? activeSize : ch.size();
      FrameReader reader = new FrameReader(ch, Segment.HEADER_BYTES, fileEnd);
      for (long seq = seg.firstSequence(); seq <= to; seq++) {
        byte[] payload;
        try {
          payload = reader.next();
        } catch (FrameReader.BadFrameException e) {
          throw new IOException(
              seg.path()
                  + ": record "
                  + seq
                  + " at offset "
                  + e.offset
                  + " is bad: "
                  + e.getMessage());
        }
        if (payload == null) {
          throw new IOException(
              seg.path() + ": ends at offset " + reader.offset() + " before record " + seq);
        }
        if (seq >= from) {
          visitor.visit(seq, payload);
        }
      }
    }
  }

  /**
   * Deletes whole segment files all of whose records have sequences below {@code sequence} (call it
   * once a snapshot covers them). The active segment is never deleted. Returns how many files were
   * deleted.
   */
  public synchronized int deleteBefore(long sequence) throws IOException {
    checkOpen();
    int deleted = 0;
    while (segments.size() > 1 && segments.get(1).firstSequence() <= sequence) {
      Files.delete(segments.get(0).path());
      segments.remove(0);
      deleted++;
    }
    if (deleted > 0) {
      syncDirectory(dir);
      LOG.info("journal {}: deleted {} segment(s) before sequence {}", dir, deleted, sequence);
    }
    return deleted;
  }

  /** Syncs what is buffered (unless the log has failed), then releases the files. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (FileChannel l = lockChannel;
        FileChannel a = active) {
      if (failure == null) {
        flushAndForce();
      }
      lock.release();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("journal " + dir + " is closed");
    }
  }

  private void checkWritable() {
    checkOpen();
    if (failure != null) {
      throw new IllegalStateException(
          "journal "
              + dir
              + " failed earlier ("
              + failure
              + ") and refuses appends; close it and open it again to recover",
          failure);
    }
  }

  @Override
  public synchronized String toString() {
    return "RecordLog["
        + dir
        + ", sequences "
        + segments.get(0).firstSequence()
        + ".."
        + (nextSequence - 1)
        + "]";
  }
}
