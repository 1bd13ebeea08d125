package org.deoss.fs;

import ru.serce.jnrfuse.ErrorCodes;

/** Shorthands that build an {@link FsException} for one error number. */
final class Errno {
  private Errno() {}

  static FsException readOnly(Object path) {
    return new FsException(
        ErrorCodes.EROFS(), "read-only: " + path + " is shared with this account by another");
  }

  static FsException noAccess(String why) {
    return new FsException(ErrorCodes.EACCES(), why);
  }

  static FsException noEntry(Object path) {
    return new FsException(ErrorCodes.ENOENT(), "no such file or directory: " + path);
  }

  static FsException exists(Object path) {
    return new FsException(ErrorCodes.EEXIST(), "exists: " + path);
  }

  static FsException notEmpty(Object path) {
    return new FsException(ErrorCodes.ENOTEMPTY(), "directory not empty: " + path);
  }

  static FsException notDir(Object path) {
    return new FsException(ErrorCodes.ENOTDIR(), "not a directory: " + path);
  }

  static FsException isDir(Object path) {
    return new FsException(ErrorCodes.EISDIR(), "is a directory: " + path);
  }

  static FsException invalid(String why) {
    return new FsException(ErrorCodes.EINVAL(), why);
  }

  static FsException noSpace(String why) {
    return new FsException(ErrorCodes.ENOSPC(), why);
  }

  static FsException tooLong(String why) {
    return new FsException(ErrorCodes.ENAMETOOLONG(), why);
  }

  static FsException perm(String why) {
    return new FsException(ErrorCodes.EPERM(), why);
  }

  static FsException badHandle(long fh) {
    return new FsException(ErrorCodes.EBADF(), "no open file with handle " + fh);
  }

  static FsException noData(String why) {
    return new FsException(ErrorCodes.ENODATA(), why);
  }

  static FsException notSupported(String why) {
    return new FsException(ErrorCodes.ENOTSUP(), why);
  }
}
