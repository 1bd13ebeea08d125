package org.deoss.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save patterns of real applications replayed against the core, then checked on the ledger. */
class FsEditorPatternsTest {
  private static final int WRONLY_CREATE = FsCore.O_CREAT | 01 | FsCore.O_TRUNC;
  @TempDir Path dir;
  private FsFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = fixture(dir);
    fx.core.mkdir("/files/docs", 0755, FsFixture.UID, FsFixture.GID);
    fx.writeFile("/files/docs/file.txt", "old text");
    fx.drain();
  }

  /** The fixture every test runs on; a subclass runs them all again on another. */
  FsFixture fixture(Path dir) throws java.io.IOException {
    return new FsFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private long create(String path) throws Exception {
    return fx.core.create(path, 0644, WRONLY_CREATE | FsCore.O_EXCL, FsFixture.UID, FsFixture.GID);
  }

  private void write(long fh, String text) throws Exception {
    fx.core.write(fh, 0, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void vim_swapFile_backupRename_writeNew_fsync_unlinkBackup() throws Exception {
    long swap = create("/files/docs/.file.txt.swp");
    write(swap, "swap contents");
    fx.core.fsync(swap);
    fx.core.rename("/files/docs/file.txt", "/files/docs/file.txt~");
    long fh = create("/files/docs/file.txt");
    write(fh, "new text");
    fx.core.fsync(fh);
    fx.core.release(fh);
    fx.core.unlink("/files/docs/file.txt~");
    fx.core.release(swap);
    fx.core.unlink("/files/docs/.file.txt.swp");
    fx.drain();
    assertEquals("new text", fx.committedText(FsFixture.BUCKET, "docs/file.txt"));
    assertFalse(fx.committed(FsFixture.BUCKET, "docs/file.txt~"));
    assertFalse(fx.committed(FsFixture.BUCKET, "docs/.file.txt.swp"));
    assertEquals(List.of("file.txt"), fx.list("/files/docs"));
  }

  @Test
  void gedit_goutputstream_fsync_renameOver() throws Exception {
    long fh = create("/files/docs/.goutputstream-XK2Q1Z");
    write(fh, "gedit text");
    fx.core.fsync(fh);
    fx.core.release(fh);
    fx.core.rename("/files/docs/.goutputstream-XK2Q1Z", "/files/docs/file.txt");
    fx.drain();
    assertEquals("gedit text", fx.committedText(FsFixture.BUCKET, "docs/file.txt"));
    assertFalse(fx.committed(FsFixture.BUCKET, "docs/.goutputstream-XK2Q1Z"));
    assertEquals(List.of("file.txt"), fx.list("/files/docs"));
  }

  @Test
  void libreOffice_lockFile_createdThenRemoved() throws Exception {
    long lock = create("/files/docs/.~lock.file.txt#");
    write(lock, ",user,host,24.11.2026 10:00,file:///home/user/.config/libreoffice/4;");
    fx.core.release(lock);
    long fh = fx.core.open("/files/docs/file.txt", 02 | FsCore.O_TRUNC);
    write(fh, "office text");
    fx.core.fsync(fh);
    fx.core.release(fh);
    fx.core.unlink("/files/docs/.~lock.file.txt#");
    fx.drain();
    assertEquals("office text", fx.committedText(FsFixture.BUCKET, "docs/file.txt"));
    assertEquals(List.of("file.txt"), fx.list("/files/docs"));
  }

  @Test
  void rsync_tempFileWithMtimeAndMode_renamedOver_keepsTheMtime() throws Exception {
    long mtime = 1_234_567_890_000_000_000L;
    long fh = create("/files/docs/.file.txt.Ab12Cd");
    write(fh, "rsync text");
    fx.core.release(fh);
    fx.core.chmod("/files/docs/.file.txt.Ab12Cd", 0640);
    fx.core.chown("/files/docs/.file.txt.Ab12Cd", 1234, 1234);
    fx.core.utimens("/files/docs/.file.txt.Ab12Cd", mtime);
    fx.core.rename("/files/docs/.file.txt.Ab12Cd", "/files/docs/file.txt");
    assertEquals(mtime, fx.core.getattr("/files/docs/file.txt").mtimeNanos());
    fx.drain();
    var rec = fx.record(FsFixture.BUCKET, "docs/file.txt");
    assertEquals(mtime, rec.attributes().mtimeNanos());
    assertEquals(0640, rec.attributes().mode() & 07777);
    assertEquals(1234, rec.attributes().uid());
    assertEquals("rsync text", fx.committedText(FsFixture.BUCKET, "docs/file.txt"));
    assertFalse(fx.committed(FsFixture.BUCKET, "docs/.file.txt.Ab12Cd"));
  }
}
