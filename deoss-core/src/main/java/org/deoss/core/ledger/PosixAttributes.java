package org.deoss.core.ledger;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The POSIX side of an object: mode (type and permission bits), owner ids, times in nanoseconds
 * since the epoch, a symlink target (empty unless a symlink) and {@code user.*} extended
 * attributes. Immutable; byte arrays are copied in and out.
 */
public final class PosixAttributes {
  /** Longest symlink target in UTF-8 bytes. */
  public static final int MAX_SYMLINK_BYTES = 4095;

  /** Longest xattr name in UTF-8 bytes (including {@code user.}). */
  public static final int MAX_XATTR_NAME_BYTES = 255;

  /** Total bytes of all xattr names and values of one object. */
  public static final int MAX_XATTR_TOTAL_BYTES = 16 * 1024;

  private final int mode;
  private final int uid;
  private final int gid;
  private final long mtimeNanos;
  private final long ctimeNanos;
  private final String symlinkTarget;
  private final SortedMap<String, byte[]> xattrs;

  private PosixAttributes(
      int mode,
      int uid,
      int gid,
      long mtimeNanos,
      long ctimeNanos,
      String symlinkTarget,
      SortedMap<String, byte[]> xattrs) {
    this.mode = mode;
    this.uid = uid;
    this.gid = gid;
    this.mtimeNanos = mtimeNanos;
    this.ctimeNanos = ctimeNanos;
    this.symlinkTarget = symlinkTarget;
    this.xattrs = xattrs;
  }

  /**
   * Attributes.
   *
   * @throws IllegalArgumentException naming the rule broken
   */
  public static PosixAttributes of(
      int mode,
      int uid,
      int gid,
      long mtimeNanos,
      long ctimeNanos,
      String symlinkTarget,
      Map<String, byte[]> xattrs) {
    Objects.requireNonNull(symlinkTarget, "symlinkTarget (empty when not a symlink)");
    Objects.requireNonNull(xattrs, "xattrs");
    if (symlinkTarget.getBytes(StandardCharsets.UTF_8).length > MAX_SYMLINK_BYTES
        || symlinkTarget.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "symlink target must be at most " + MAX_SYMLINK_BYTES + " bytes without NUL");
    }
    TreeMap<String, byte[]> copy = new TreeMap<>();
    long total = 0;
    for (Map.Entry<String, byte[]> e : xattrs.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "xattr name");
      byte[] value = Objects.requireNonNull(e.getValue(), "value of xattr " + name);
      int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
      if (!name.startsWith("user.") || name.length() == 5) {
        throw new IllegalArgumentException("xattr '" + name + "': only user.* names are stored");
      }
      if (nameBytes > MAX_XATTR_NAME_BYTES || name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "xattr name '"
                + name
                + "' is longer than "
                + MAX_XATTR_NAME_BYTES
                + " bytes or has NUL");
      }
      total += nameBytes + value.length;
      copy.put(name, value.clone());
    }
    if (total > MAX_XATTR_TOTAL_BYTES) {
      throw new IllegalArgumentException(
          "xattrs take " + total + " bytes, more than " + MAX_XATTR_TOTAL_BYTES);
    }
    return new PosixAttributes(mode, uid, gid, mtimeNanos, ctimeNanos, symlinkTarget, copy);
  }

  /** A regular file with {@code mode}, owned by root, times as given, no xattrs. */
  public static PosixAttributes file(int mode, long timeNanos) {
    return of(mode, 0, 0, timeNanos, timeNanos, "", Map.of());
  }

  public int mode() {
    return mode;
  }

  public int uid() {
    return uid;
  }

  public int gid() {
    return gid;
  }

  public long mtimeNanos() {
    return mtimeNanos;
  }

  public long ctimeNanos() {
    return ctimeNanos;
  }

  /** The symlink target; empty when not a symlink. */
  public String symlinkTarget() {
    return symlinkTarget;
  }

  /** Xattr names in order. */
  public java.util.Set<String> xattrNames() {
    return Collections.unmodifiableSet(xattrs.keySet());
  }

  /** A copy of one xattr value, or null. */
  public byte[] xattr(String name) {
    byte[] v = xattrs.get(name);
    return v == null ? null : v.clone();
  }

  SortedMap<String, byte[]> xattrsUnsafe() {
    return xattrs;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PosixAttributes)) {
      return false;
    }
    PosixAttributes p = (PosixAttributes) o;
    if (mode != p.mode
        || uid != p.uid
        || gid != p.gid
        || mtimeNanos != p.mtimeNanos
        || ctimeNanos != p.ctimeNanos
        || !symlinkTarget.equals(p.symlinkTarget)
        || !xattrs.keySet().equals(p.xattrs.keySet())) {
      return false;
    }
    for (Map.Entry<String, byte[]> e : xattrs.entrySet()) {
      if (!Arrays.equals(e.getValue(), p.xattrs.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, uid, gid, mtimeNanos, ctimeNanos, symlinkTarget, xattrs.keySet());
  }

  @Override
  public String toString() {
    return String.format(
        "PosixAttributes(mode=%o uid=%d gid=%d mtime=%d xattrs=%s)",
        mode, uid, gid, mtimeNanos, xattrs.keySet());
  }
}
