package org.deoss.core.ledger.journal;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of a state machine's state in a directory, each saved atomically and verified when read
 * back.
 *
 * <h2>File</h2>
 *
 * {@code snapshot-<sequence, 19 decimal digits>.snap}, a 32-byte header then the state:
 *
 * <pre>
 *  0        4                   12                  20           24          28          32
 *  +--------+-------------------+-------------------+------------+-----------+-----------+-------
 *  | "DSN1" | sequence (u64 BE) | length (u64 BE)   | CRC32C of  | reserved  | CRC32C of | state
 *  |        |                   | of the state      | the state  | (0)       | bytes 0-27| ...
 *  +--------+-------------------+-------------------+------------+-----------+-----------+-------
 * </pre>
 *
 * <h2>Saving</h2>
 *
 * {@link #save(long, SnapshotWriter)} streams the state into {@code snapshot-<seq>.snap.tmp}
 * (bounded memory, any size), writes the header, forces the file, renames it into place atomically
 * and forces the directory; a crash at any point leaves either the old set of snapshots or the new
 * one, plus perhaps a temp file that the next {@link #open} deletes. Then only the newest {@code
 * retain} snapshots are kept.
 *
 * <h2>Reading</h2>
 *
 * {@link #latest()} returns the newest snapshot that verifies (header, length and content
 * checksum); a damaged one is skipped with a warning and the previous one is tried.
 *
 * <p>Threads: not meant for concurrent saves; the ledger saves from one thread. Reading while a
 * save runs is safe (the new file appears whole, by rename).
 */
public final class SnapshotStore {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);

  /** Snapshots kept by default. */
  public static final int DEFAULT_RETAIN = 2;

  static final int HEADER_BYTES = 32;
  private static final byte[] MAGIC = {'D', 'S', 'N', '1'};
  private static final Pattern NAME = Pattern.compile("snapshot-(\\d{19})\\.snap");
  private static final String TEMP_SUFFIX = ".tmp";

  private final Path dir;
  private final int retain;

  private SnapshotStore(Path dir, int retain) {
    this.dir = dir;
    this.retain = retain;
  }

  /** Opens the store in {@code dir} keeping the {@link #DEFAULT_RETAIN} newest snapshots. */
  public static SnapshotStore open(Path dir) throws IOException {
    return open(dir, DEFAULT_RETAIN);
  }

  /**
   * Opens (creating) the store in {@code dir}, deleting temp files left by an interrupted save.
   *
   * @param retain how many snapshots {@link #save} keeps, at least 1
   */
  public static SnapshotStore open(Path dir, int retain) throws IOException {
    Objects.requireNonNull(dir, "dir");
    if (retain < 1) {
      throw new IllegalArgumentException("retain must be >= 1, got " + retain);
    }
    Files.createDirectories(dir);
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "snapshot-*.snap.tmp")) {
      for (Path t : temps) {
        LOG.info("deleting unfinished snapshot {}", t);
        Files.deleteIfExists(t);
      }
    }
    return new SnapshotStore(dir, retain);
  }

  static String fileName(long sequence) {
    return String.format(Locale.ROOT, "snapshot-%019d.snap", sequence);
  }

  /** Saves {@code state} as the snapshot at {@code sequence}; returns its file. */
  public Path save(long sequence, byte[] state) throws IOException {
    Objects.requireNonNull(state, "state");
    return save(sequence, out -> out.write(state));
  }

  /**
   * Saves the state that {@code writer} streams as the snapshot at {@code sequence} (replacing one
   * with the same sequence), then deletes all but the newest {@code retain}; returns its file.
   *
   * @param sequence the last log sequence included in the state, >= 0
   */
  public Path save(long sequence, SnapshotWriter writer) throws IOException {
    if (sequence < 0) {
      throw new IllegalArgumentException("snapshot sequence must be >= 0, got " + sequence);
    }
    Objects.requireNonNull(writer, "writer");
    Path target = dir.resolve(fileName(sequence));
    Path temp = dir.resolve(fileName(sequence) + TEMP_SUFFIX);
    boolean done = false;
    try {
      try (FileChannel ch =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ch.position(HEADER_BYTES);
        Content content =
            new Content(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16));
        writer.writeTo(content);
        content.flush();
        ByteBuffer header = ByteBuffer.wrap(header(sequence, content.length, content.crc()));
        while (header.hasRemaining()) {
          ch.write(header, header.position());
        }
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
    RecordLog.syncDirectory(dir);
    LOG.info(
        "saved snapshot {} ({} bytes)", target.getFileName(), Files.size(target) - HEADER_BYTES);
    prune();
    return target;
  }

  /** Sequences of the snapshot files present, newest first (valid or not). */
  public List<Long> sequences() throws IOException {
    List<Long> list = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot-*.snap")) {
      for (Path f : files) {
        Matcher m = NAME.matcher(f.getFileName().toString());
        if (m.matches()) {
          list.add(Long.parseLong(m.group(1)));
        }
      }
    }
    list.sort(Comparator.reverseOrder());
    return list;
  }

  private void prune() throws IOException {
    List<Long> all = sequences();
    boolean deleted = false;
    for (int i = retain; i < all.size(); i++) {
      Files.deleteIfExists(dir.resolve(fileName(all.get(i))));
      deleted = true;
    }
    if (deleted) {
      RecordLog.syncDirectory(dir);
    }
  }

  /**
   * The newest snapshot that verifies, or empty when there is none; damaged ones are skipped with a
   * warning. Reads every byte of the snapshots it checks.
   */
  public Optional<Snapshot> latest() throws IOException {
    for (long seq : sequences()) {
      Path file = dir.resolve(fileName(seq));
      String problem;
      try {
        problem = verify(file, seq);
      } catch (IOException e) {
        problem = "cannot read: " + e;
      }
      if (problem == null) {
        return Optional.of(readHeaderUnchecked(file, seq));
      }
      LOG.warn("skipping damaged snapshot {}: {}", file, problem);
    }
    return Optional.empty();
  }

  static byte[] header(long sequence, long length, int contentCrc) {
    byte[] h = new byte[HEADER_BYTES];
    System.arraycopy(MAGIC, 0, h, 0, 4);
    RecordFrame.putLong(h, 4, sequence);
    RecordFrame.putLong(h, 12, length);
    RecordFrame.putInt(h, 20, contentCrc);
    CRC32C crc = new CRC32C();
    crc.update(h, 0, 28);
    RecordFrame.putInt(h, 28, (int) crc.getValue());
    return h;
  }

  /** Null when {@code file} is a valid snapshot at {@code seq}, otherwise what is wrong. */
  private static String verify(Path file, long seq) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] h = in.readNBytes(HEADER_BYTES);
      if (h.length < HEADER_BYTES) {
        return "header incomplete (" + h.length + " bytes)";
      }
      if (!Arrays.equals(h, 0, 4, MAGIC, 0, 4)) {
        return "bad magic";
      }
      CRC32C crc = new CRC32C();
      crc.update(h, 0, 28);
      if ((int) crc.getValue() != RecordFrame.getInt(h, 28)) {
        return "header checksum mismatch";
      }
      if (RecordFrame.getLong(h, 4) != seq) {
        return "header sequence " + RecordFrame.getLong(h, 4) + " differs from the name";
      }
      long length = RecordFrame.getLong(h, 12);
      long actual = Files.size(file) - HEADER_BYTES;
      if (length != actual) {
        return "header says " + length + " bytes of state, file has " + actual;
      }
      CRC32C content = new CRC32C();
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        content.update(buf, 0, n);
      }
      if ((int) content.getValue() != RecordFrame.getInt(h, 20)) {
        return "state checksum mismatch";
      }
      return null;
    }
  }

  private static Snapshot readHeaderUnchecked(Path file, long seq) throws IOException {
    byte[] h;
    try (InputStream in = Files.newInputStream(file)) {
      h = in.readNBytes(HEADER_BYTES);
    }
    return new Snapshot(file, seq, RecordFrame.getLong(h, 12), RecordFrame.getInt(h, 20));
  }

  /** Counts and checksums the state as it is written; ignores close. */
  private static final class Content extends FilterOutputStream {
    private final CRC32C crc = new CRC32C();
    private long length;

    Content(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      crc.update(b);
      length++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      crc.update(b, off, len);
      length += len;
    }

    @Override
    public void close() {
      // The store closes the file.
    }

    int crc() {
      return (int) crc.getValue();
    }
  }
}
