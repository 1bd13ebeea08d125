package org.deoss.fs;

import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;

/**
 * A path that exists, as the namespace resolved it.
 *
 * @param path where it is (for a root file: its place in the reserved bucket)
 * @param attributes its stored attributes; null for the root, a bucket or an implicit folder
 * @param record the committed version when it is a committed, non-pending object (or marker)
 * @param pending whether the write-back cache holds it
 */
record Node(
    FsPath path,
    Type type,
    PosixAttributes attributes,
    long size,
    ObjectRecord record,
    boolean pending) {

  enum Type {
    ROOT,
    BUCKET,
    /** A folder with a marker key {@code dir/}. */
    MARKED_DIR,
    /** A folder that exists only because keys start with {@code dir/}. */
    IMPLICIT_DIR,
    FILE,
    SYMLINK,
    /** A folder below {@code shared-with-me} (read-only). */
    SHARED_DIR,
    /** Another account's object shared with this one (read-only). */
    SHARED_FILE
  }

  boolean isDir() {
    return type == Type.ROOT
        || type == Type.BUCKET
        || type == Type.MARKED_DIR
        || type == Type.IMPLICIT_DIR
        || type == Type.SHARED_DIR;
  }
}
