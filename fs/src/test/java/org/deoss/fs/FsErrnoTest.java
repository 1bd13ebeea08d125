package org.deoss.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ru.serce.jnrfuse.ErrorCodes;

/** The error number of every failure issue 4 lists, through the FUSE boundary's callbacks. */
class FsErrnoTest {
  @TempDir Path dir;
  private FsFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = fixture(dir);
  }

  /** The fixture every test runs on; a subclass runs them all again on another. */
  FsFixture fixture(Path dir) throws java.io.IOException {
    return new FsFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  static int errnoOf(Call c) {
    try {
      c.run();
      return 0;
    } catch (Throwable t) {
      return ErrnoTable.errno(t);
    }
  }

  @Test
  void unlink_whenMissing_returnsENOENT() {
    assertEquals(-ErrorCodes.ENOENT(), fx.fuse.unlink("/files/missing"));
  }

  @Test
  void unlink_whenDirectory_returnsEISDIR() {
    assertEquals(0, fx.fuse.mkdir("/files/d", 0755));
    assertEquals(-ErrorCodes.EISDIR(), fx.fuse.unlink("/files/d"));
  }

  @Test
  void mkdir_whenExists_returnsEEXIST() throws Exception {
    fx.writeFile("/files/a", "x");
    assertEquals(-ErrorCodes.EEXIST(), fx.fuse.mkdir("/files/a", 0755));
    assertEquals(0, fx.fuse.mkdir("/files/d", 0755));
    assertEquals(-ErrorCodes.EEXIST(), fx.fuse.mkdir("/files/d", 0755));
    assertEquals(-ErrorCodes.EEXIST(), fx.fuse.mkdir("/files", 0755));
  }

  @Test
  void mkdir_whenParentMissing_returnsENOENT() {
    assertEquals(-ErrorCodes.ENOENT(), fx.fuse.mkdir("/files/no/d", 0755));
  }

  @Test
  void mkdir_atRootWithBadBucketName_returnsEINVAL() {
    assertEquals(-ErrorCodes.EINVAL(), fx.fuse.mkdir("/My Folder", 0755));
    assertEquals(-ErrorCodes.EINVAL(), fx.fuse.mkdir("/ab", 0755));
  }

  @Test
  void mkdir_ofReservedBucketName_returnsEINVAL() {
    assertEquals(-ErrorCodes.EINVAL(), fx.fuse.mkdir("/" + FsFixture.RESERVED, 0755));
  }

  @Test
  void rmdir_whenNotEmpty_returnsENOTEMPTY() throws Exception {
    fx.fuse.mkdir("/files/d", 0755);
    fx.writeFile("/files/d/f", "x");
    assertEquals(-ErrorCodes.ENOTEMPTY(), fx.fuse.rmdir("/files/d"));
    fx.drain();
    assertEquals(-ErrorCodes.ENOTEMPTY(), fx.fuse.rmdir("/files/d"));
  }

  @Test
  void rmdir_whenFile_returnsENOTDIR() throws Exception {
    fx.writeFile("/files/f", "x");
    assertEquals(-ErrorCodes.ENOTDIR(), fx.fuse.rmdir("/files/f"));
  }

  @Test
  void rmdir_ofBucketWithFiles_returnsENOTEMPTY() throws Exception {
    fx.writeFile("/files/f", "x");
    assertEquals(-ErrorCodes.ENOTEMPTY(), fx.fuse.rmdir("/files"));
    fx.drain();
    assertEquals(-ErrorCodes.ENOTEMPTY(), fx.fuse.rmdir("/files"));
  }

  @Test
  void rename_whenTargetDirNotEmpty_returnsENOTEMPTY() throws Exception {
    fx.fuse.mkdir("/files/a", 0755);
    fx.fuse.mkdir("/files/b", 0755);
    fx.writeFile("/files/b/f", "x");
    assertEquals(-ErrorCodes.ENOTEMPTY(), fx.fuse.rename("/files/a", "/files/b"));
  }

  @Test
  void rename_ofDirOntoFile_returnsENOTDIR() throws Exception {
    fx.fuse.mkdir("/files/a", 0755);
    fx.writeFile("/files/f", "x");
    assertEquals(-ErrorCodes.ENOTDIR(), fx.fuse.rename("/files/a", "/files/f"));
  }

  @Test
  void rename_ofFileOntoDir_returnsEISDIR() throws Exception {
    fx.fuse.mkdir("/files/a", 0755);
    fx.writeFile("/files/f", "x");
    assertEquals(-ErrorCodes.EISDIR(), fx.fuse.rename("/files/f", "/files/a"));
  }

  @Test
  void rename_whenSourceMissing_returnsENOENT() {
    assertEquals(-ErrorCodes.ENOENT(), fx.fuse.rename("/files/nope", "/files/x"));
  }

  @Test
  void link_returnsEPERM() throws Exception {
    fx.writeFile("/files/f", "x");
    assertEquals(-ErrorCodes.EPERM(), fx.fuse.link("/files/f", "/files/g"));
  }

  @Test
  void nameLongerThan255Bytes_returnsENAMETOOLONG() {
    String longName = "n".repeat(256);
    assertEquals(-ErrorCodes.ENAMETOOLONG(), fx.fuse.mkdir("/files/" + longName, 0755));
    assertEquals(-ErrorCodes.ENAMETOOLONG(), fx.fuse.unlink("/files/" + longName));
  }

  @Test
  void keyLongerThanTheLedgerAllows_returnsENAMETOOLONG() {
    String deep = ("/" + "d".repeat(200)).repeat(6);
    assertEquals(-ErrorCodes.ENAMETOOLONG(), fx.fuse.mkdir("/files" + deep, 0755));
  }

  @Test
  void createExclusive_whenFileExists_returnsEEXIST() throws Exception {
    fx.writeFile("/files/f", "x");
    int flags = FsCore.O_CREAT | FsCore.O_EXCL | 01;
    assertEquals(ErrorCodes.EEXIST(), errnoOf(() -> fx.core.create("/files/f", 0644, flags, 1, 1)));
    fx.drain();
    assertEquals(ErrorCodes.EEXIST(), errnoOf(() -> fx.core.create("/files/f", 0644, flags, 1, 1)));
  }

  @Test
  void create_inMissingBucket_returnsENOENT() {
    assertEquals(
        ErrorCodes.ENOENT(),
        errnoOf(() -> fx.core.create("/nobucket/f", 0644, FsCore.O_CREAT | 01, 1, 1)));
  }

  @Test
  void create_whenAccountHasNoSpace_returnsENOSPC(@TempDir Path other) throws Exception {
    try (FsFixture poor = new FsFixture(other, null, 0)) {
      assertEquals(
          ErrorCodes.ENOSPC(),
          errnoOf(() -> poor.core.create("/files/f", 0644, FsCore.O_CREAT | 01, 1, 1)));
    }
  }

  @Test
  void readlink_ofRegularFile_returnsEINVAL() throws Exception {
    fx.writeFile("/files/f", "x");
    assertEquals(ErrorCodes.EINVAL(), errnoOf(() -> fx.core.readlink("/files/f")));
  }

  @Test
  void getxattr_ofOtherNamespaces_returnsENODATAWithoutALookup() {
    assertEquals(
        -ErrorCodes.ENODATA(), fx.fuse.getxattr("/files/missing", "security.capability", null, 0));
  }

  @Test
  void setxattr_outsideUserNamespace_returnsENOTSUP() throws Exception {
    fx.writeFile("/files/f", "x");
    assertEquals(
        ErrorCodes.ENOTSUP(),
        errnoOf(() -> fx.core.setxattr("/files/f", "trusted.x", new byte[] {1}, 0)));
  }

  @Test
  void xattr_createWhenPresent_returnsEEXIST_andReplaceWhenMissing_returnsENODATA()
      throws Exception {
    fx.writeFile("/files/f", "x");
    fx.core.setxattr("/files/f", "user.a", new byte[] {1}, FsCore.XATTR_CREATE);
    assertEquals(
        ErrorCodes.EEXIST(),
        errnoOf(() -> fx.core.setxattr("/files/f", "user.a", new byte[] {2}, FsCore.XATTR_CREATE)));
    assertEquals(
        ErrorCodes.ENODATA(),
        errnoOf(
            () -> fx.core.setxattr("/files/f", "user.b", new byte[] {2}, FsCore.XATTR_REPLACE)));
    assertEquals(ErrorCodes.ENODATA(), errnoOf(() -> fx.core.getxattr("/files/f", "user.b")));
    assertEquals(ErrorCodes.ENODATA(), errnoOf(() -> fx.core.removexattr("/files/f", "user.b")));
  }

  @Test
  void callbacks_neverThrow_evenOnUnexpectedFailures() {
    FuseBoundary b =
        new FuseBoundary(null, System::nanoTime, Long.MAX_VALUE, null); // every call hits an NPE
    assertEquals(-ErrorCodes.EIO(), b.unlink("/files/x"));
    assertEquals(-ErrorCodes.EIO(), b.mkdir("/files/x", 0755));
  }

  @Test
  void rmdir_ofMissingFolder_returnsENOENT_andSucceedsOnEmptyOne() throws Exception {
    assertEquals(-ErrorCodes.ENOENT(), fx.fuse.rmdir("/files/nope"));
    assertEquals(0, fx.fuse.mkdir("/files/d", 0755));
    assertEquals(0, fx.fuse.rmdir("/files/d"));
    assertEquals(-ErrorCodes.ENOENT(), fx.fuse.rmdir("/files/d"));
    assertFalse(fx.committed(FsFixture.BUCKET, "d/"));
    assertFalse(fx.list("/files").contains("d"));
  }
}
