package org.deoss.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.deoss.cache.CacheFullException;
import org.deoss.cache.VersionConflictException;
import org.deoss.core.ledger.LedgerRejection;
import ru.serce.jnrfuse.ErrorCodes;

/**
 * The one table that turns what an operation threw into the error number the kernel gets. Every row
 * is unit-tested. Anything not listed is {@code EIO} and {@link #unexpected} says so, so that the
 * boundary logs it.
 */
final class ErrnoTable {
  private ErrnoTable() {}

  /** The positive error number for {@code t}. */
  static int errno(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof FsException f) {
      return f.errno();
    }
    if (e instanceof NoSuchFileException) {
      return ErrorCodes.ENOENT();
    }
    if (e instanceof FileAlreadyExistsException) {
      return ErrorCodes.EEXIST();
    }
    if (e instanceof DirectoryNotEmptyException) {
      return ErrorCodes.ENOTEMPTY();
    }
    if (e instanceof NotDirectoryException) {
      return ErrorCodes.ENOTDIR();
    }
    if (e instanceof AccessDeniedException) {
      return ErrorCodes.EACCES();
    }
    if (e instanceof CacheFullException) {
      return ErrorCodes.ENOSPC();
    }
    if (e instanceof VersionConflictException) {
      return ErrorCodes.EIO();
    }
    if (e instanceof LedgerRejection r) {
      return byReason(r.reason());
    }
    if (e instanceof InterruptedException) {
      return ErrorCodes.EINTR();
    }
    if (e instanceof IOException io && isDiskFull(io)) {
      return ErrorCodes.ENOSPC();
    }
    return ErrorCodes.EIO();
  }

  /** Whether {@code t} is a failure the table does not know (logged as an error with its op). */
  static boolean unexpected(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof VersionConflictException) {
      return true;
    }
    return errno(e) == ErrorCodes.EIO() && !(e instanceof FsException);
  }

  static int byReason(LedgerRejection.Reason reason) {
    return switch (reason) {
      case NO_SUCH_BUCKET, NO_SUCH_OBJECT -> ErrorCodes.ENOENT();
      case BAD_BUCKET_NAME, BAD_KEY, BAD_ATTRIBUTES, BAD_ARGUMENT, BAD_ACCESS ->
          ErrorCodes.EINVAL();
      case NO_SPACE, SPACE_EXPIRED -> ErrorCodes.ENOSPC();
      case TOO_MANY_BUCKETS -> ErrorCodes.EDQUOT();
      case BUCKET_EXISTS, OBJECT_EXISTS -> ErrorCodes.EEXIST();
      case BUCKET_NOT_EMPTY -> ErrorCodes.ENOTEMPTY();
      case NOT_AUTHORIZED -> ErrorCodes.EACCES();
      default -> ErrorCodes.EIO();
    };
  }

  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException
            || e instanceof ExecutionException
            || e instanceof UncheckedIOException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static boolean isDiskFull(IOException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("No space left") || m.contains("Disk quota exceeded");
  }
}
