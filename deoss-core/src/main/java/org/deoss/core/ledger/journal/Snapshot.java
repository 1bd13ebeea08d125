package org.deoss.core.ledger.journal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A verified snapshot file found by {@link SnapshotStore#latest()}: the state as of a log sequence.
 * Immutable handle; the content is read from the file on demand.
 */
public final class Snapshot {
  private final Path path;
  private final long sequence;
  private final long size;
  private final int crc;

  Snapshot(Path path, long sequence, long size, int crc) {
    this.path = path;
    this.sequence = sequence;
    this.size = size;
    this.crc = crc;
  }

  /** The log sequence the state includes: replay the log from {@code sequence() + 1}. */
  public long sequence() {
    return sequence;
  }

  /** Size of the state in bytes. */
  public long size() {
    return size;
  }

  /** The file. */
  public Path path() {
    return path;
  }

  /**
   * Streams the state. The stream checks the content's CRC32C again at its end and throws {@link
   * IOException} if the file changed since it was verified. The caller closes it.
   */
  public InputStream open() throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    ch.position(SnapshotStore.HEADER_BYTES);
    return new Verifying(Channels.newInputStream(ch));
  }

  /**
   * The whole state in memory.
   *
   * @throws IOException also when the state exceeds 2 GiB (use {@link #open()} then)
   */
  public byte[] readAllBytes() throws IOException {
    if (size > Integer.MAX_VALUE - 16) {
      throw new IOException("snapshot " + path + " has " + size + " bytes, too many for an array");
    }
    try (InputStream in = open()) {
      return in.readAllBytes();
    }
  }

  @Override
  public String toString() {
    return "Snapshot[" + sequence + ", " + size + " bytes, " + path.getFileName() + "]";
  }

  /** Limits reading to the content and verifies its checksum at the end. */
  private final class Verifying extends FilterInputStream {
    private final CRC32C running = new CRC32C();
    private long remaining = size;

    Verifying(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (remaining == 0) {
        if ((int) running.getValue() != crc) {
          throw new IOException("snapshot " + path + " changed on disk: checksum mismatch");
        }
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new IOException("snapshot " + path + " is shorter than its header says");
      }
      running.update(b, off, n);
      remaining -= n;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] sink = new byte[8192];
      long skipped = 0;
      while (skipped < n) {
        int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(Math.min(remaining, in.available()), Integer.MAX_VALUE);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
