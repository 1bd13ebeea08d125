package org.deoss.tests.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real tools on a real mount over a real network (a ledger node and twelve miner processes): rsync,
 * cp -a, diff -r, tar, git, sqlite3, mv of a big folder, random writes into a large file, and two
 * processes appending at once. Whatever must survive is read back after a clean unmount and a mount
 * with an empty cache, so the bytes come from the miners and the metadata from the ledger.
 *
 * <p>The tree for rsync is issue 4's (5,000 small files, 10/30/100 MiB files, symlinks) unless the
 * system property {@code deoss.mount.smallFiles} asks for fewer small files (and then only a 10 MiB
 * large file) for a quick local run.
 */
@Timeout(600)
class MountToolsTest {
  private static final long SEED = 20261124L;
  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(5);

  @TempDir static Path root;
  static MountHarness mount;

  @BeforeAll
  static void startNetworkAndMount() throws Exception {
    mount = MountHarness.start(root, 12, 50);
    mount.createBucket("tools");
    mount.mount();
  }

  @AfterAll
  static void stop() throws Exception {
    if (mount != null) {
      mount.keepLogs(Path.of("target", "mount-logs", "MountToolsTest"));
      mount.close();
    }
  }

  private static TreeGenerator.Spec treeSpec() {
    String n = System.getProperty("deoss.mount.smallFiles");
    if (n == null || n.isBlank()) {
      return TreeGenerator.Spec.full();
    }
    return new TreeGenerator.Spec(Integer.parseInt(n), 100, List.of(10), 8);
  }

  /** Runs a tool and returns its output; a failure names the tool and includes the mount's log. */
  private static String tool(Path dir, String... command) throws Exception {
    Tools.Result r = Tools.run(dir, TOOL_TIMEOUT, command);
    if (r.exitCode() != 0) {
      fail(
          String.join(" ", command)
              + " exited with "
              + r.exitCode()
              + ":\n"
              + Tools.tail(r.output(), 3000)
              + "\n"
              + mount.diagnostics());
    }
    return r.output();
  }

  private static void assertSameTree(
      Path expected, Path actual, Set<TreeDiff.Check> checks, String when) throws IOException {
    String d = TreeDiff.describe(expected, actual, checks);
    if (!d.isEmpty()) {
      fail(
          when
              + ": "
              + actual
              + " differs from "
              + expected
              + ":\n"
              + d
              + "\n"
              + mount.diagnostics());
    }
  }

  @Test
  void rsyncTree_secondRunTransfersNothing_andEverythingReadsBackAfterRemount() throws Exception {
    Path source = mount.scratch("rsync-source");
    TreeGenerator.generate(source, treeSpec(), SEED);
    Path target = mount.bucket("tools").resolve("rsync");
    tool(null, "rsync", "-a", source + "/", target + "/");
    assertSameTree(source, target, TreeDiff.all(), "after rsync -a");

    mount.remountWithEmptyCache("rsync");
    String second =
        tool(null, "rsync", "-a", "--itemize-changes", "--stats", source + "/", target + "/");
    List<String> transferred = new ArrayList<>();
    for (String line : second.split("\n")) {
      if (line.startsWith(">f") || line.startsWith("cL") || line.startsWith("cd")) {
        transferred.add(line);
      }
    }
    assertTrue(
        transferred.isEmpty() && second.contains("Number of regular files transferred: 0"),
        "the second rsync -a after a remount transferred files (mtime, size or mode lost):\n"
            + Tools.tail(String.join("\n", transferred), 2000)
            + "\n"
            + Tools.tail(second, 1500));
    tool(null, "diff", "-r", "--no-dereference", source.toString(), target.toString());
    assertSameTree(source, target, TreeDiff.all(), "after a remount with an empty cache");

    Path back = mount.scratch("rsync-back");
    tool(null, "cp", "-a", target + "/.", back.toString());
    assertSameTree(source, back, TreeDiff.all(), "copied back out with cp -a");
  }

  @Test
  void tarExtract_intoMount_matchesTheLocalExtract() throws Exception {
    Path src = mount.scratch("tar-source");
    TreeGenerator.generate(src, new TreeGenerator.Spec(300, 30, List.of(), 5), SEED + 1);
    Path archive = mount.scratch("tar").resolve("tree.tar");
    // pax keeps sub-second mtimes (the default gnu format rounds them to whole seconds)
    tool(src, "tar", "--format=posix", "-cf", archive.toString(), ".");
    Path into = Files.createDirectories(mount.bucket("tools").resolve("tar"));
    tool(into, "tar", "xf", archive.toString());
    assertSameTree(src, into, TreeDiff.all(), "after tar x into the mount");
  }

  /**
   * An mtime set while the file is still open after writes (both times given, as Java and cp -a
   * do), and one set after close followed by chown and chmod, survive the close and the upload.
   */
  @Test
  void mtimeSetWhileOpenOrAfterClose_survivesCloseAndUpload() throws Exception {
    Path dir = Files.createDirectories(mount.bucket("tools").resolve("mtime"));
    Path whileOpen = dir.resolve("f.txt");
    FileTime first = FileTime.fromMillis(1_600_000_000_123L);
    try (FileChannel ch =
        FileChannel.open(whileOpen, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
      Files.setLastModifiedTime(whileOpen, first);
    }
    Path afterClose = dir.resolve("g.txt");
    Files.write(afterClose, new byte[] {4, 5, 6});
    FileTime second = FileTime.fromMillis(1_600_000_000_456L);
    Files.setLastModifiedTime(afterClose, second);
    tool(null, "chown", "0:0", afterClose.toString());
    tool(null, "chmod", "0600", afterClose.toString());
    for (String when : List.of("after close", "once uploaded (after a clean remount)")) {
      if (!when.equals("after close")) {
        mount.remountWithEmptyCache("mtime");
      }
      assertEquals(
          first,
          Files.getLastModifiedTime(whileOpen),
          "mtime set while open, " + when + ", of " + whileOpen + "\n" + mount.diagnostics());
      assertEquals(
          second,
          Files.getLastModifiedTime(afterClose),
          "mtime set after close, chown, chmod, "
              + when
              + ", of "
              + afterClose
              + "\n"
              + mount.diagnostics());
    }
  }

  /**
   * tar's own sequence (strace of GNU tar x): write, utimensat with atime UTIME_OMIT and the mtime
   * (touch -m does the same), fchown, fchmod, then close.
   */
  @Test
  void mtimeOnlyWithAtimeOmitted_whileOpen_survivesClose() throws Exception {
    Path f = Files.createDirectories(mount.bucket("tools").resolve("mtime")).resolve("h.txt");
    try (FileChannel ch =
        FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {7, 8, 9}));
      tool(null, "touch", "-m", "-d", "@1600000000.789", f.toString());
      assertEquals(
          FileTime.fromMillis(1_600_000_000_789L),
          Files.getLastModifiedTime(f),
          "mtime of " + f + " right after touch -m (atime UTIME_OMIT)\n" + mount.diagnostics());
    }
    assertEquals(
        FileTime.fromMillis(1_600_000_000_789L),
        Files.getLastModifiedTime(f),
        "mtime of " + f + " after close\n" + mount.diagnostics());
  }

  @Test
  void git_initAddCommitInsideMount_logAndFsckPass() throws Exception {
    Path repo = Files.createDirectories(mount.bucket("tools").resolve("repo"));
    SplittableRandom random = new SplittableRandom(SEED + 2);
    tool(repo, "git", "init", "-q");
    tool(repo, "git", "config", "user.email", "test@example.org");
    tool(repo, "git", "config", "user.name", "Mount Test");
    for (int commit = 0; commit < 3; commit++) {
      for (int i = 0; i < 20; i++) {
        Path f = repo.resolve("src").resolve("file-" + random.nextInt(40) + ".txt");
        Files.createDirectories(f.getParent());
        Files.writeString(
            f,
            "line " + random.nextLong() + "\n",
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      tool(repo, "git", "add", "-A");
      tool(repo, "git", "commit", "-q", "-m", "commit " + commit);
    }
    String log = tool(repo, "git", "log", "--oneline");
    assertEquals(3, log.strip().split("\n").length, "git log after 3 commits:\n" + log);
    tool(repo, "git", "fsck", "--full", "--strict");
    assertEquals("", tool(repo, "git", "status", "--porcelain").strip(), "a clean work tree");
  }

  @Test
  void sqlite_transactionsOnMount_queryBack() throws Exception {
    Path dir = Files.createDirectories(mount.bucket("tools").resolve("db"));
    Path db = dir.resolve("test.db");
    StringBuilder sql = new StringBuilder("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);\n");
    long expectedSum = 0;
    for (int tx = 0; tx < 10; tx++) {
      sql.append("BEGIN;\n");
      for (int i = 0; i < 100; i++) {
        int id = tx * 100 + i;
        expectedSum += id;
        sql.append("INSERT INTO t VALUES(").append(id).append(", 'row ").append(id).append("');\n");
      }
      sql.append("COMMIT;\n");
    }
    Path script = mount.scratch("sqlite").resolve("insert.sql");
    Files.writeString(script, sql);
    tool(dir, "sqlite3", db.toString(), ".read " + script);
    String result =
        tool(
            dir,
            "sqlite3",
            db.toString(),
            "SELECT count(*), sum(id) FROM t; PRAGMA integrity_check;");
    assertEquals("1000|" + expectedSum + "\nok", result.strip(), "query after 10 transactions");
  }

  @Test
  void mv_folderWith1000Files_everythingUnderNewNameNothingUnderOld() throws Exception {
    Path old = Files.createDirectories(mount.bucket("tools").resolve("before"));
    for (int i = 0; i < 1000; i++) {
      Files.writeString(old.resolve("f-" + i), "content " + i);
    }
    Path renamed = mount.bucket("tools").resolve("after");
    tool(null, "mv", old.toString(), renamed.toString());
    assertFalse(Files.exists(old), old + " still exists after mv\n" + mount.diagnostics());
    mount.remountWithEmptyCache("mv");
    assertFalse(Files.exists(old), old + " exists again after a remount\n" + mount.diagnostics());
    try (Stream<Path> files = Files.list(renamed)) {
      assertEquals(1000, files.count(), "entries under " + renamed + "\n" + mount.diagnostics());
    }
    for (int i = 0; i < 1000; i++) {
      Path f = renamed.resolve("f-" + i);
      assertEquals("content " + i, Files.readString(f), f + " after mv and remount");
    }
  }

  @Test
  void randomWritesIntoLargeFile_afterRemount_matchTheSameEditsOnALocalCopy() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED + 3);
    Path local = mount.scratch("random-writes").resolve("large.dat");
    long size = 80L << 20;
    TreeGenerator.writeRandom(local, size, random);
    Path remote = mount.bucket("tools").resolve("large.dat");
    Files.copy(local, remote);
    mount.remountWithEmptyCache("random-writes-1");
    assertTrue(
        Files.exists(remote), remote + " is gone after a clean remount\n" + mount.diagnostics());
    try (FileChannel a = FileChannel.open(local, StandardOpenOption.WRITE);
        FileChannel b = FileChannel.open(remote, StandardOpenOption.WRITE)) {
      for (int i = 0; i < 40; i++) {
        byte[] patch = new byte[1 + random.nextInt(64 * 1024)];
        random.nextBytes(patch);
        long at = random.nextLong(size - patch.length);
        a.write(ByteBuffer.wrap(patch), at);
        b.write(ByteBuffer.wrap(patch), at);
      }
    }
    byte[] tail = new byte[4096];
    random.nextBytes(tail);
    Path patch = mount.scratch("random-writes").resolve("patch.bin");
    Files.write(patch, tail);
    for (Path f : List.of(local, remote)) {
      tool(
          null,
          "dd",
          "if=" + patch,
          "of=" + f,
          "bs=4096",
          "seek=7777",
          "conv=notrunc",
          "status=none");
    }
    mount.remountWithEmptyCache("random-writes-2");
    assertEquals(
        Files.size(local), Files.size(remote), "size of " + remote + "\n" + mount.diagnostics());
    assertEquals(
        TreeDiff.sha256(local),
        TreeDiff.sha256(remote),
        "sha256 of " + remote + " after random writes and a remount\n" + mount.diagnostics());
  }

  @Test
  void twoProcessesAppending_toDifferentFiles_bothFilesHoldEveryLineInOrder() throws Exception {
    Path dir = Files.createDirectories(mount.bucket("tools").resolve("append"));
    String loop =
        "exec 3>>\"$1\"; for i in $(seq 1 5000); do printf '%s %05d\\n' \"$2\" $i >&3; done";
    Process a =
        new ProcessBuilder("bash", "-c", loop, "x", dir.resolve("a.log").toString(), "a")
            .redirectErrorStream(true)
            .start();
    Process b =
        new ProcessBuilder("bash", "-c", loop, "x", dir.resolve("b.log").toString(), "b")
            .redirectErrorStream(true)
            .start();
    assertEquals(0, a.waitFor(), new String(a.getInputStream().readAllBytes()));
    assertEquals(0, b.waitFor(), new String(b.getInputStream().readAllBytes()));
    for (String who : List.of("a", "b")) {
      List<String> lines = Files.readAllLines(dir.resolve(who + ".log"));
      assertEquals(5000, lines.size(), who + ".log line count\n" + mount.diagnostics());
      for (int i = 0; i < lines.size(); i++) {
        String want = String.format("%s %05d", who, i + 1);
        if (!want.equals(lines.get(i))) {
          fail(
              who
                  + ".log line "
                  + (i + 1)
                  + ": expected '"
                  + want
                  + "', found '"
                  + lines.get(i)
                  + "'");
        }
      }
    }
  }
}
