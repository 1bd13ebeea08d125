package org.deoss.fs;

import java.nio.charset.StandardCharsets;
import org.deoss.core.ledger.Names;

/**
 * Maps the kernel's paths to buckets and keys.
 *
 * <p>With one bucket mounted, {@code /a/b} is key {@code a/b} of that bucket. With the whole
 * account mounted, the first component names a bucket; a first component that cannot be a bucket
 * name (a dot-entry such as {@code .Trash-1000}, or a name with capitals or spaces) lives in the
 * reserved bucket with the whole path as its key. A single component that is a valid bucket name
 * maps to the bucket; the core falls back to a root file of that name in the reserved bucket when
 * there is no such bucket. With the whole account mounted, {@code /shared-with-me/...} is the
 * read-only {@link SharedTree} (a bucket of that name is not shown).
 */
final class PathMapper {
  /** Longest name of one path component, in bytes (as Linux). */
  static final int MAX_NAME_BYTES = 255;

  private final String singleBucket;
  private final String reservedBucket;

  /**
   * @param singleBucket the bucket shown as the root, or null for all of the account's buckets
   */
  PathMapper(String singleBucket, String reservedBucket) {
    this.singleBucket = singleBucket;
    this.reservedBucket = reservedBucket;
  }

  String reservedBucket() {
    return reservedBucket;
  }

  boolean singleBucket() {
    return singleBucket != null;
  }

  /**
   * The location of {@code path}.
   *
   * @throws FsException ENAMETOOLONG when a component is longer than 255 bytes or the key is longer
   *     than the ledger allows
   */
  FsPath map(String path) throws FsException {
    if (path.isEmpty() || path.equals("/")) {
      return singleBucket != null
          ? new FsPath(FsPath.Kind.BUCKET, singleBucket, "", "/")
          : new FsPath(FsPath.Kind.ROOT, "", "", "/");
    }
    String rel = path.startsWith("/") ? path.substring(1) : path;
    checkLengths(path, rel);
    if (singleBucket != null) {
      return entry(singleBucket, rel, path);
    }
    int slash = rel.indexOf('/');
    String first = slash < 0 ? rel : rel.substring(0, slash);
    if (first.equals(SharedTree.FOLDER)) {
      return new FsPath(FsPath.Kind.SHARED, "", slash < 0 ? "" : rel.substring(slash + 1), path);
    }
    if (isBucketName(first)) {
      return slash < 0
          ? new FsPath(FsPath.Kind.BUCKET, first, "", path)
          : entry(first, rel.substring(slash + 1), path);
    }
    return entry(reservedBucket, rel, path);
  }

  /** The root file {@code /name} in the reserved bucket (a file created at the root). */
  FsPath rootFile(FsPath bucketPath) {
    return new FsPath(FsPath.Kind.ENTRY, reservedBucket, bucketPath.bucket(), bucketPath.path());
  }

  /**
   * Whether {@code name} is a valid bucket name that is not the reserved one nor the {@code
   * shared-with-me} folder.
   */
  boolean isBucketName(String name) {
    return Names.bucketNameProblem(name) == null
        && !name.equals(reservedBucket)
        && !name.equals(SharedTree.FOLDER);
  }

  private FsPath entry(String bucket, String key, String path) throws FsException {
    // a marker adds "/", so the key must leave room for it
    if (key.getBytes(StandardCharsets.UTF_8).length + 1 > Names.MAX_KEY_BYTES) {
      throw Errno.tooLong(
          "key of "
              + path
              + " is longer than the ledger's "
              + (Names.MAX_KEY_BYTES - 1)
              + " bytes");
    }
    return new FsPath(FsPath.Kind.ENTRY, bucket, key, path);
  }

  private static void checkLengths(String path, String rel) throws FsException {
    int start = 0;
    while (start <= rel.length()) {
      int slash = rel.indexOf('/', start);
      int end = slash < 0 ? rel.length() : slash;
      if (rel.substring(start, end).getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
        throw Errno.tooLong("a name in " + path + " is longer than " + MAX_NAME_BYTES + " bytes");
      }
      if (slash < 0) {
        break;
      }
      start = slash + 1;
    }
  }
}
