package org.deoss.fs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's mount table ({@code /proc/self/mountinfo}) and {@code fusermount}: is a path a mount
 * point, of which type, is it a stale FUSE mount whose process died, and unmounting it. Public
 * because {@code deoss umount} uses it too.
 */
public final class MountTable {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private MountTable() {}

  /** The file-system type mounted at {@code mountPoint} (e.g. {@code fuse.deoss}), if any. */
  public static Optional<String> typeAt(Path mountPoint) throws IOException {
    String want = mountPoint.toAbsolutePath().normalize().toString();
    Optional<String> found = Optional.empty();
    for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
      String[] f = line.split(" ");
      int dash = List.of(f).indexOf("-");
      if (f.length > 4 && dash > 0 && dash + 1 < f.length && unescape(f[4]).equals(want)) {
        found = Optional.of(f[dash + 1]); // the last one mounted there wins
      }
    }
    return found;
  }

  /** Mount points in mountinfo escape space, tab, newline and backslash as octal. */
  static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()) {
        String oct = s.substring(i + 1, Math.min(i + 4, s.length()));
        if (oct.length() == 3 && oct.chars().allMatch(ch -> ch >= '0' && ch <= '7')) {
          out.append((char) Integer.parseInt(oct, 8));
          i += 3;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  /**
   * Whether {@code mountPoint} is a FUSE mount whose process is gone: the kernel answers "Transport
   * endpoint is not connected" (ENOTCONN).
   */
  public static boolean isStale(Path mountPoint) {
    try {
      Files.readAttributes(mountPoint, BasicFileAttributes.class);
      return false;
    } catch (FileSystemException e) {
      return String.valueOf(e.getReason()).contains("not connected")
          || String.valueOf(e.getMessage()).contains("not connected");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Runs {@code fusermount -u} (with {@code -z} when {@code lazy}) on {@code mountPoint}.
   *
   * @return null when it worked, else fusermount's message
   */
  public static String fusermount(Path mountPoint, boolean lazy) throws IOException {
    List<String> cmd =
        lazy
            ? List.of("fusermount", "-u", "-z", mountPoint.toString())
            : List.of("fusermount", "-u", mountPoint.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "fusermount did not finish within 10 s";
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while unmounting " + mountPoint, e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return p.exitValue() == 0 ? null : (out.isEmpty() ? "fusermount exit " + p.exitValue() : out);
  }
}
