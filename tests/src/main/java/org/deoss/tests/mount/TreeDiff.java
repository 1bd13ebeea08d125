package org.deoss.tests.mount;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares two trees entry by entry and says what differs: a missing or extra path, a type, a size
 * or SHA-256, a mode, a file's mtime (to the millisecond), a symlink target. Symlinks are compared,
 * never followed.
 */
public final class TreeDiff {
  /** What to compare besides presence, type and content. */
  public enum Check {
    MODE,
    MTIME
  }

  private TreeDiff() {}

  /** Every difference between {@code expected} and {@code actual}, at most {@code limit}. */
  public static List<String> differences(Path expected, Path actual, Set<Check> checks, int limit)
      throws IOException {
    TreeMap<String, BasicFileAttributes> left = list(expected);
    TreeMap<String, BasicFileAttributes> right = list(actual);
    List<String> out = new ArrayList<>();
    for (var e : left.entrySet()) {
      if (out.size() >= limit) {
        break;
      }
      String rel = e.getKey();
      BasicFileAttributes r = right.get(rel);
      if (r == null) {
        out.add(rel + ": missing from " + actual);
        continue;
      }
      compare(rel, expected.resolve(rel), e.getValue(), actual.resolve(rel), r, checks, out);
    }
    for (String rel : right.keySet()) {
      if (out.size() >= limit) {
        break;
      }
      if (!left.containsKey(rel)) {
        out.add(rel + ": not in " + expected + " but present in " + actual);
      }
    }
    return out;
  }

  /** The differences as one message, empty when there are none. */
  public static String describe(Path expected, Path actual, Set<Check> checks) throws IOException {
    List<String> d = differences(expected, actual, checks, 20);
    return d.isEmpty() ? "" : String.join("\n", d);
  }

  public static Set<Check> all() {
    return EnumSet.allOf(Check.class);
  }

  private static void compare(
      String rel,
      Path a,
      BasicFileAttributes la,
      Path b,
      BasicFileAttributes lb,
      Set<Check> checks,
      List<String> out)
      throws IOException {
    String ta = type(la);
    String tb = type(lb);
    if (!ta.equals(tb)) {
      out.add(rel + ": expected a " + ta + ", found a " + tb);
      return;
    }
    if (la.isSymbolicLink()) {
      Path x = Files.readSymbolicLink(a);
      Path y = Files.readSymbolicLink(b);
      if (!x.equals(y)) {
        out.add(rel + ": symlink to " + x + " expected, found a link to " + y);
      }
      return;
    }
    if (checks.contains(Check.MODE)) {
      String ma = PosixFilePermissions.toString(Files.getPosixFilePermissions(a, NOFOLLOW));
      String mb = PosixFilePermissions.toString(Files.getPosixFilePermissions(b, NOFOLLOW));
      if (!ma.equals(mb)) {
        out.add(rel + ": mode " + ma + " expected, found " + mb);
      }
    }
    if (la.isRegularFile()) {
      if (la.size() != lb.size()) {
        out.add(rel + ": size " + la.size() + " expected, found " + lb.size());
        return;
      }
      String ha = sha256(a);
      String hb = sha256(b);
      if (!ha.equals(hb)) {
        out.add(
            rel + ": sha256 " + ha + " expected, found " + hb + " (same size " + la.size() + ")");
      }
      if (checks.contains(Check.MTIME)
          && la.lastModifiedTime().toMillis() != lb.lastModifiedTime().toMillis()) {
        out.add(
            rel + ": mtime " + la.lastModifiedTime() + " expected, found " + lb.lastModifiedTime());
      }
    }
  }

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private static String type(BasicFileAttributes a) {
    if (a.isSymbolicLink()) {
      return "symlink";
    }
    if (a.isDirectory()) {
      return "folder";
    }
    return a.isRegularFile() ? "file" : "special file";
  }

  private static TreeMap<String, BasicFileAttributes> list(Path root) throws IOException {
    TreeMap<String, BasicFileAttributes> entries = new TreeMap<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (!dir.equals(root)) {
              entries.put(root.relativize(dir).toString(), attrs);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            entries.put(root.relativize(file).toString(), attrs);
            return FileVisitResult.CONTINUE;
          }
        });
    return entries;
  }

  /** The SHA-256 of a file's bytes, in hex. */
  public static String sha256(Path file) throws IOException {
    MessageDigest d;
    try {
      d = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }
}
