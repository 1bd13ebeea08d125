package org.deoss.core.account;

import java.io.IOException;
import java.nio.file.Path;

/** A wallet file could not be opened; {@link #kind()} says why, the message says where. */
public final class WalletException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why a wallet did not open. */
  public enum Kind {
    /** No file at the path. */
    MISSING,
    /** The passphrase does not decrypt the key (or the encrypted key was altered). */
    WRONG_PASSPHRASE,
    /** The file is not a well-formed wallet; the message names the field. */
    CORRUPT,
    /** A well-formed wallet of a version, KDF or cipher this program does not support. */
    UNSUPPORTED
  }

  private final Kind kind;
  private final transient Path file;

  WalletException(Kind kind, Path file, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.file = file;
  }

  /** Why the wallet did not open. */
  public Kind kind() {
    return kind;
  }

  /** The wallet file. */
  public Path file() {
    return file;
  }
}
