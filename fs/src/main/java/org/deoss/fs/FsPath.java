package org.deoss.fs;

/**
 * Where a path of the mount lives: the root (the account's buckets), a bucket's top folder, or an
 * entry (a key in a bucket, without a trailing slash).
 *
 * @param bucket empty for the root
 * @param key empty for the root and a bucket's top folder
 * @param path the path as the kernel gave it, for messages
 */
record FsPath(Kind kind, String bucket, String key, String path) {

  enum Kind {
    ROOT,
    BUCKET,
    ENTRY,
    /** Below the read-only {@code shared-with-me} folder; {@code key} is the path below it. */
    SHARED
  }

  boolean isRoot() {
    return kind == Kind.ROOT;
  }

  boolean isShared() {
    return kind == Kind.SHARED;
  }

  boolean isBucket() {
    return kind == Kind.BUCKET;
  }

  /** The prefix of the keys inside this folder: "" for a bucket, {@code key + "/"} otherwise. */
  String childPrefix() {
    return key.isEmpty() ? "" : key + "/";
  }

  /** The marker key of this folder. */
  String markerKey() {
    return key + "/";
  }

  /** The last component. */
  String name() {
    int slash = path.lastIndexOf('/');
    return path.substring(slash + 1);
  }

  /** The key of the parent folder ("" for a bucket's top level). */
  String parentKey() {
    int slash = key.lastIndexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }

  @Override
  public String toString() {
    return path;
  }
}
