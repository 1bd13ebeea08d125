package org.deoss.fs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deoss.core.ledger.PosixAttributes;

/** File types in mode bits and copies of {@link PosixAttributes} with one field changed. */
final class Attrs {
  static final int S_IFMT = 0170000;
  static final int S_IFDIR = 0040000;
  static final int S_IFREG = 0100000;
  static final int S_IFLNK = 0120000;

  private Attrs() {}

  static int type(int mode) {
    int t = mode & S_IFMT;
    return t == 0 ? S_IFREG : t;
  }

  static boolean isDir(PosixAttributes a) {
    return (a.mode() & S_IFMT) == S_IFDIR;
  }

  static boolean isSymlink(PosixAttributes a) {
    return (a.mode() & S_IFMT) == S_IFLNK;
  }

  static PosixAttributes create(int mode, int uid, int gid, long nowNanos, String symlink) {
    return PosixAttributes.of(mode, uid, gid, nowNanos, nowNanos, symlink, Map.of());
  }

  static PosixAttributes withMode(PosixAttributes a, int mode, long now) {
    int kept = a.mode() & S_IFMT;
    return copy(a, kept | (mode & 07777), a.uid(), a.gid(), a.mtimeNanos(), now, xattrs(a));
  }

  static PosixAttributes withOwner(PosixAttributes a, int uid, int gid, long now) {
    return copy(a, a.mode(), uid, gid, a.mtimeNanos(), now, xattrs(a));
  }

  static PosixAttributes withMtime(PosixAttributes a, long mtime, long now) {
    return copy(a, a.mode(), a.uid(), a.gid(), mtime, now, xattrs(a));
  }

  static PosixAttributes withXattr(PosixAttributes a, String name, byte[] value, long now) {
    Map<String, byte[]> x = xattrs(a);
    if (value == null) {
      x.remove(name);
    } else {
      x.put(name, value);
    }
    return copy(a, a.mode(), a.uid(), a.gid(), a.mtimeNanos(), now, x);
  }

  private static Map<String, byte[]> xattrs(PosixAttributes a) {
    Map<String, byte[]> x = new LinkedHashMap<>();
    for (String n : a.xattrNames()) {
      x.put(n, a.xattr(n));
    }
    return x;
  }

  private static PosixAttributes copy(
      PosixAttributes a,
      int mode,
      int uid,
      int gid,
      long mtime,
      long ctime,
      Map<String, byte[]> x) {
    return PosixAttributes.of(mode, uid, gid, mtime, ctime, a.symlinkTarget(), x);
  }
}
