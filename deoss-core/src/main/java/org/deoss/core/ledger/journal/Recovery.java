package org.deoss.core.ledger.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Verifies the segments of a log at open and repairs the tail of the last one. */
final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(RecordLog.class);

  private Recovery() {}

  /**
   * Scans {@code segments} (sorted, possibly empty; a first segment is created when empty), checks
   * that their sequences are contiguous and every record verifies, and truncates a bad tail of the
   * last segment.
   */
  static RecoveryReport recover(Path dir, List<Segment> segments) throws IOException {
    if (segments.isEmpty()) {
      Segment first = new Segment(dir.resolve(Segment.fileName(1)), 1);
      RecordLog.createSegment(first).close();
      segments.add(first);
      return new RecoveryReport(1, 0, 1, 0, 0);
    }
    long expected = segments.get(0).firstSequence();
    long records = 0;
    long truncated = 0;
    for (int i = 0; i < segments.size(); i++) {
      Segment seg = segments.get(i);
      boolean last = i == segments.size() - 1;
      if (seg.firstSequence() != expected) {
        throw new IOException(
            seg.path()
                + ": starts at sequence "
                + seg.firstSequence()
                + " but the previous segment ends at "
                + (expected - 1)
                + " (a segment file is missing or foreign)");
      }
      try (FileChannel ch =
          last
              ? FileChannel.open(seg.path(), StandardOpenOption.READ, StandardOpenOption.WRITE)
              : FileChannel.open(seg.path(), StandardOpenOption.READ)) {
        long size = ch.size();
        String problem = Segment.headerProblem(ch, seg.firstSequence());
        if (problem != null) {
          if (!last || size > Segment.HEADER_BYTES) {
            // Headers are forced before any record is written: only an empty file can be torn.
            throw new IOException(seg.path() + ": bad segment header at offset 0: " + problem);
          }
          LOG.warn(
              "journal {}: {} has a torn header ({}); rewriting it, dropped {} bytes at offset 0",
              dir,
              seg.path().getFileName(),
              problem,
              size);
          truncated += size;
          rewriteHeader(ch, seg.firstSequence());
          continue;
        }
        long count = 0;
        FrameReader reader = new FrameReader(ch, Segment.HEADER_BYTES, size);
        try {
          while (reader.next() != null) {
            count++;
          }
        } catch (FrameReader.BadFrameException e) {
          long seq = seg.firstSequence() + count;
          if (!last) {
            throw new IOException(
                seg.path()
                    + ": corrupt record (sequence "
                    + seq
                    + ") at offset "
                    + e.offset
                    + ": "
                    + e.getMessage()
                    + "; this is not the last segment, so it is not a torn write");
          }
          long dropped = size - e.offset;
          LOG.warn(
              "journal {}: truncating {} at offset {}: dropped {} bytes from sequence {} on ({})",
              dir,
              seg.path().getFileName(),
              e.offset,
              dropped,
              seq,
              e.getMessage());
          ch.truncate(e.offset);
          ch.force(true);
          truncated += dropped;
        }
        records += count;
        expected = seg.firstSequence() + count;
      }
    }
    return new RecoveryReport(
        segments.size(), records, segments.get(0).firstSequence(), expected - 1, truncated);
  }

  private static void rewriteHeader(FileChannel ch, long firstSequence) throws IOException {
    ch.truncate(0);
    ByteBuffer header = ByteBuffer.wrap(Segment.header(firstSequence));
    while (header.hasRemaining()) {
      ch.write(header, header.position());
    }
    ch.force(true);
  }
}
