package org.deoss.core.ledger.journal;

import static org.deoss.core.ledger.journal.Records.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
  @TempDir Path dir;

  @Test
  void latest_whenNoSnapshot_isEmpty() throws IOException {
    assertTrue(SnapshotStore.open(dir).latest().isEmpty());
  }

  @Test
  void save_thenLatest_returnsTheNewestState() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    store.save(10, bytes("state at 10"));
    store.save(20, bytes("state at 20"));
    Snapshot s = store.latest().orElseThrow();
    assertEquals(20, s.sequence());
    assertEquals(11, s.size());
    assertArrayEquals(bytes("state at 20"), s.readAllBytes());
    assertEquals(dir.resolve("snapshot-0000000000000000020.snap"), s.path());
  }

  @Test
  void save_streamed_handlesAStateLargerThanItsBuffers() throws IOException {
    long seed = 42;
    byte[] state = new byte[3 << 20];
    new SplittableRandom(seed).nextBytes(state);
    SnapshotStore store = SnapshotStore.open(dir);
    store.save(
        7,
        out -> {
          for (int off = 0; off < state.length; off += 1000) {
            out.write(state, off, Math.min(1000, state.length - off));
          }
          out.write(new byte[0]);
        });
    Snapshot s = store.latest().orElseThrow();
    assertEquals(state.length, s.size());
    try (InputStream in = s.open()) {
      assertArrayEquals(state, in.readAllBytes(), "seed " + seed);
    }
  }

  @Test
  void latest_whenNewestIsCorrupt_fallsBackToThePreviousOne() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    store.save(10, bytes("older"));
    Path newest = store.save(20, bytes("newer state"));
    try (RandomAccessFile raf = new RandomAccessFile(newest.toFile(), "rw")) {
      raf.seek(SnapshotStore.HEADER_BYTES + 3);
      raf.write('X');
    }
    Snapshot s = store.latest().orElseThrow();
    assertEquals(10, s.sequence());
    assertArrayEquals(bytes("older"), s.readAllBytes());
  }

  @Test
  void latest_whenNewestIsTornOrHasABadHeader_fallsBack() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir, 3);
    store.save(10, bytes("oldest"));
    Path torn = store.save(20, bytes("torn state"));
    Path badHeader = store.save(30, bytes("bad header"));
    try (FileChannel ch = FileChannel.open(torn, StandardOpenOption.WRITE)) {
      ch.truncate(SnapshotStore.HEADER_BYTES + 4);
    }
    try (RandomAccessFile raf = new RandomAccessFile(badHeader.toFile(), "rw")) {
      raf.seek(13);
      raf.write(0x7f);
    }
    assertEquals(10, store.latest().orElseThrow().sequence());
  }

  @Test
  void save_keepsOnlyTheNewestRetainedSnapshots() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    for (long seq = 1; seq <= 5; seq++) {
      store.save(seq * 100, bytes("s" + seq));
    }
    assertEquals(List.of(500L, 400L), store.sequences());
  }

  @Test
  void save_whenWriterThrows_leavesPreviousSnapshotsAndNoTempFile() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    store.save(1, bytes("good"));
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                store.save(
                    2,
                    out -> {
                      out.write(bytes("partial"));
                      throw new IOException("state encoder failed");
                    }));
    assertEquals("state encoder failed", e.getMessage());
    assertEquals(List.of(1L), store.sequences());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void open_deletesTempFilesOfAnInterruptedSave() throws IOException {
    Path temp = dir.resolve("snapshot-0000000000000000009.snap.tmp");
    Files.write(temp, bytes("half"));
    SnapshotStore store = SnapshotStore.open(dir);
    assertFalse(Files.exists(temp));
    assertTrue(store.latest().isEmpty());
  }

  @Test
  void open_ofAVerifiedSnapshot_detectsAChangeMadeAfterwards() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    Path file = store.save(5, bytes("abcdef"));
    Snapshot s = store.latest().orElseThrow();
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(SnapshotStore.HEADER_BYTES);
      raf.write('z');
    }
    IOException e = assertThrows(IOException.class, s::readAllBytes);
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void open_whenRetainBelowOne_isRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SnapshotStore.open(dir, 0));
    assertTrue(e.getMessage().contains("retain"), e.getMessage());
  }
}
