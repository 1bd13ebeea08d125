package org.deoss.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.deoss.cache.CacheFullException;
import org.deoss.cache.ObjectPath;
import org.deoss.cache.VersionConflictException;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.LedgerRejection.Reason;
import org.junit.jupiter.api.Test;
import ru.serce.jnrfuse.ErrorCodes;

/** Each row of the one exception-to-errno table. */
class FsErrnoTableTest {

  @Test
  void fsException_givesItsOwnErrno() {
    assertEquals(ErrorCodes.EXDEV(), ErrnoTable.errno(new FsException(ErrorCodes.EXDEV(), "x")));
    assertFalse(ErrnoTable.unexpected(new FsException(ErrorCodes.EXDEV(), "x")));
  }

  @Test
  void nioExceptions_mapToTheirErrno() {
    assertEquals(ErrorCodes.ENOENT(), ErrnoTable.errno(new NoSuchFileException("a")));
    assertEquals(ErrorCodes.EEXIST(), ErrnoTable.errno(new FileAlreadyExistsException("a")));
    assertEquals(ErrorCodes.ENOTEMPTY(), ErrnoTable.errno(new DirectoryNotEmptyException("a")));
    assertEquals(ErrorCodes.ENOTDIR(), ErrnoTable.errno(new NotDirectoryException("a")));
  }

  @Test
  void cacheFullAndDiskFull_giveENOSPC() {
    assertEquals(
        ErrorCodes.ENOSPC(),
        ErrnoTable.errno(new CacheFullException(Path.of("c"), new IOException("No space left"))));
    assertEquals(ErrorCodes.ENOSPC(), ErrnoTable.errno(new IOException("No space left on device")));
  }

  @Test
  void ledgerRejections_mapByReason() {
    assertEquals(ErrorCodes.ENOENT(), reject(Reason.NO_SUCH_BUCKET));
    assertEquals(ErrorCodes.ENOENT(), reject(Reason.NO_SUCH_OBJECT));
    assertEquals(ErrorCodes.EINVAL(), reject(Reason.BAD_BUCKET_NAME));
    assertEquals(ErrorCodes.EINVAL(), reject(Reason.BAD_KEY));
    assertEquals(ErrorCodes.ENOSPC(), reject(Reason.NO_SPACE));
    assertEquals(ErrorCodes.ENOSPC(), reject(Reason.SPACE_EXPIRED));
    assertEquals(ErrorCodes.EEXIST(), reject(Reason.BUCKET_EXISTS));
    assertEquals(ErrorCodes.EEXIST(), reject(Reason.OBJECT_EXISTS));
    assertEquals(ErrorCodes.ENOTEMPTY(), reject(Reason.BUCKET_NOT_EMPTY));
    assertEquals(ErrorCodes.EACCES(), reject(Reason.NOT_AUTHORIZED));
    assertEquals(ErrorCodes.EDQUOT(), reject(Reason.TOO_MANY_BUCKETS));
    assertEquals(ErrorCodes.EIO(), reject(Reason.VERSION_CONFLICT));
    assertEquals(ErrorCodes.EIO(), reject(Reason.BAD_NONCE));
  }

  private static int reject(Reason r) {
    return ErrnoTable.errno(new LedgerRejection(r, "test"));
  }

  @Test
  void versionConflict_isEIO_andLogged() {
    VersionConflictException e =
        new VersionConflictException(
            new ObjectPath(
                org.deoss.core.account.AccountKeys.fromSeed(new byte[32]).id(), "b", "k"),
            "changed",
            null);
    assertEquals(ErrorCodes.EIO(), ErrnoTable.errno(e));
    assertTrue(ErrnoTable.unexpected(e));
  }

  @Test
  void wrappers_areLookedThrough() {
    assertEquals(
        ErrorCodes.ENOENT(),
        ErrnoTable.errno(new CompletionException(new NoSuchFileException("a"))));
    assertEquals(
        ErrorCodes.EEXIST(),
        ErrnoTable.errno(new UncheckedIOException(new FileAlreadyExistsException("a"))));
  }

  @Test
  void anythingElse_isEIO_andLogged() {
    assertEquals(ErrorCodes.EIO(), ErrnoTable.errno(new IllegalStateException("bug")));
    assertEquals(ErrorCodes.EIO(), ErrnoTable.errno(new OutOfMemoryError()));
    assertTrue(ErrnoTable.unexpected(new NullPointerException()));
  }

  @Test
  void interrupted_isEINTR() {
    assertEquals(ErrorCodes.EINTR(), ErrnoTable.errno(new InterruptedException()));
  }
}
