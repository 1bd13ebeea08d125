package org.deoss.fs;

/**
 * What getattr reports for one path.
 *
 * @param mode type and permission bits
 */
record Stat(int mode, int uid, int gid, long size, long mtimeNanos, long ctimeNanos, int nlink) {

  boolean isDir() {
    return (mode & Attrs.S_IFMT) == Attrs.S_IFDIR;
  }

  boolean isSymlink() {
    return (mode & Attrs.S_IFMT) == Attrs.S_IFLNK;
  }
}
