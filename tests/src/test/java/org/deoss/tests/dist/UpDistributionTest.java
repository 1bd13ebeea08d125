package org.deoss.tests.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deoss.tests.mount.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's path, from the built distribution ({@code bin/deoss}): {@code deoss up} with the
 * default home (~/.deoss) and mount point (~/deoss) of a temporary user home (the JVM's user.home,
 * given through JAVA_OPTS; no deoss flag but free ports), with its default twelve miners, files
 * written and read through the mount, {@code deoss status --json} and {@code deoss bucket ls} from
 * a second process with no flags, the desktop's gio list/info/trash, Ctrl-C (SIGINT) that drains,
 * unmounts and leaves no process, and a second start that finds the account, the bucket and every
 * file; after a kill -9, the next start cleans the stale mount and uploads what was closed before
 * the crash. On the way, mount.deoss (the fstab helper) mounts the bucket elsewhere in the
 * background and umount stops it.
 */
@Timeout(900)
@TestMethodOrder(OrderAnnotation.class)
class UpDistributionTest {
  private static final long SEED = 20261124L;
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path user;
  static Path deoss;
  static Path home;
  static Path mount;
  static Map<String, String> env;
  static UpProcess up;
  static String account;
  static final Map<Path, byte[]> written = new LinkedHashMap<>();

  @BeforeAll
  static void locateTheDistribution() throws IOException {
    deoss = Distribution.deoss();
    home = user.resolve(".deoss");
    mount = user.resolve("deoss");
    env = Map.of("JAVA_OPTS", "-Xmx1g -Duser.home=" + user);
  }

  @AfterAll
  static void leaveNothingBehind() throws Exception {
    if (up != null && up.isAlive()) {
      up.kill();
    }
    if (mount != null && isMounted(mount)) {
      Tools.run(null, CLI_TIMEOUT, "fusermount", "-uz", mount.toString());
    }
    if (home != null) {
      Path keep = Path.of("target", "up-logs");
      Files.createDirectories(keep);
      for (String f : List.of("console.txt", "logs/up.log")) {
        Path p = home.resolve(f);
        if (Files.exists(p)) {
          Files.copy(
              p,
              keep.resolve(f.replace('/', '-')),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static UpProcess startUp() throws IOException, InterruptedException {
    Files.createDirectories(home);
    return UpProcess.start(deoss, user.resolve("console.txt"), env, "--listen-base", "0")
        .awaitReady(READY_TIMEOUT);
  }

  /** {@code bin/deoss ARGS} as a second terminal would run it: no flags, the same user. */
  private static Tools.Result cli(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(deoss.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("DEOSS_PASSPHRASE");
    pb.environment().remove("DEOSS_HOME");
    pb.environment().putAll(env);
    return Tools.run(pb, user, CLI_TIMEOUT);
  }

  private static String accountIn(String output) {
    Matcher m = Pattern.compile("(?m)^\\s+account\\s+(cX\\w+)").matcher(output);
    assertTrue(m.find(), "no account line in:\n" + output);
    return m.group(1);
  }

  @Test
  @Order(1)
  void firstStart_makesWalletSpaceAndBucket_andMountsThemAtTheDefaultPlaces() throws Exception {
    up = startUp();
    String out = up.output();
    assertTrue(out.contains("(first start)"), out);
    assertTrue(out.contains("generated the wallet passphrase into " + home.resolve("passphrase")));
    assertTrue(out.contains("faucet tokens and bought 10 GiB for 30 days"), out);
    assertTrue(out.contains("created the bucket files"), out);
    assertTrue(out.contains("  node      http://127.0.0.1:"), out);
    assertTrue(out.contains("  logs      " + home.resolve("logs").resolve("up.log")), out);
    assertTrue(out.contains("  gateway   http://127.0.0.1:"), out);
    assertTrue(out.contains("authorized the gateway account"), out);
    account = accountIn(out);
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("passphrase"))));
    assertTrue(isMounted(mount), mount + " is not mounted:\n" + out);
    assertTrue(Files.isDirectory(mount.resolve("files")), "no bucket folder files");
  }

  @Test
  @Order(2)
  void filesWrittenThroughTheMount_readBackByteForByte() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    Path files = mount.resolve("files");
    Files.createDirectories(files.resolve("photos/2026"));
    int[] sizes = {0, 1, 4096, (1 << 20) + 17, 6 << 20};
    for (int i = 0; i < sizes.length; i++) {
      byte[] data = new byte[sizes[i]];
      random.nextBytes(data);
      Path f = (i % 2 == 0 ? files : files.resolve("photos/2026")).resolve("file-" + i + ".bin");
      Files.write(f, data);
      written.put(f, data);
    }
    Path note = files.resolve("notes.txt");
    Files.writeString(note, "hello from deoss up\n");
    Path renamed = files.resolve("photos/notes.txt");
    Files.move(note, renamed);
    written.put(renamed, "hello from deoss up\n".getBytes(StandardCharsets.UTF_8));
    assertFalse(Files.exists(note));
    assertAllThere("through the mount (seed " + SEED + ")");
  }

  @Test
  @Order(3)
  void aSecondTerminal_withNoFlags_seesTheRunningUpAndItsBucket() throws Exception {
    Tools.Result status = cli("status", "--json").orThrow();
    JsonNode s = JSON.readTree(status.output());
    assertEquals(home.toString(), s.get("home").asText(), status.output());
    assertEquals(account, s.get("account").asText(), status.output());
    assertFalse(s.has("nodeError"), status.output());
    assertEquals(1, s.get("buckets").asInt(), status.output());
    assertEquals(12, s.get("miners").get("active").asInt(), status.output());
    assertTrue(s.get("mount").get("running").asBoolean(), status.output());
    assertEquals(mount.toString(), s.get("mount").get("mountPoint").asText(), status.output());
    assertTrue(s.get("up").get("running").asBoolean(), status.output());
    assertEquals(up.pid(), s.get("up").get("pid").asLong(), status.output());

    Tools.Result buckets = cli("bucket", "ls").orThrow();
    assertTrue(buckets.output().startsWith("files"), buckets.output());
  }

  @Test
  @Order(3)
  void aFileFromTheMount_madePublicWithTheCli_downloadsThroughTheGateway() throws Exception {
    byte[] data = "served by the gateway of deoss up\n".getBytes(StandardCharsets.UTF_8);
    Path file = mount.resolve("files").resolve("public.txt");
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(data));
      ch.force(true); // fsync returns once the object is on the ledger
    }
    written.put(file, data);
    cli("share", "files/public.txt", "--public").orThrow();
    String gateway = Files.readString(home.resolve("gateway.url")).strip();
    Tools.Result version =
        Tools.run(null, CLI_TIMEOUT, "curl", "-sS", "-f", gateway + "/version").orThrow();
    assertFalse(version.output().isBlank(), "no version from " + gateway);
    Tools.Result got =
        Tools.run(
                null,
                CLI_TIMEOUT,
                "curl",
                "-sS",
                "-f",
                gateway + "/file/download/" + account + "/files/public.txt")
            .orThrow();
    assertEquals(new String(data, StandardCharsets.UTF_8), got.output());
  }

  @Test
  @Order(4)
  void desktop_gioListsInfosAndTrashesOnTheMount() throws Exception {
    assumeTrue(
        Tools.run(null, CLI_TIMEOUT, "sh", "-c", "command -v gio").exitCode() == 0,
        "gio is missing (Debian: libglib2.0-bin; ./run-tests installs it)");
    Path files = mount.resolve("files");
    Path doomed = files.resolve("to-trash.txt");
    Files.writeString(doomed, "bye\n");

    Tools.Result list = Tools.run(null, CLI_TIMEOUT, "gio", "list", files.toString()).orThrow();
    assertTrue(list.output().contains("to-trash.txt"), list.output());
    assertTrue(list.output().contains("photos"), list.output());

    Tools.Result info = Tools.run(null, CLI_TIMEOUT, "gio", "info", doomed.toString()).orThrow();
    assertTrue(info.output().contains("standard::size: 4"), info.output());
    assertTrue(info.output().contains("access::can-trash: TRUE"), info.output());

    Tools.run(null, CLI_TIMEOUT, "gio", "trash", doomed.toString()).orThrow();
    assertFalse(Files.exists(doomed), "still in its folder after gio trash");
    Path trashed = mount.resolve(".Trash-" + uid()).resolve("files").resolve("to-trash.txt");
    assertEquals("bye\n", Files.readString(trashed));
    written.put(trashed, "bye\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @Order(5)
  void fstabHelper_mountsABucketInTheBackground_andUmountStopsIt() throws Exception {
    // an account home as an fstab line would name it: wallet, passphrase and node of the same user
    Path fstabHome = user.resolve("fstab-home");
    Files.createDirectories(fstabHome);
    for (String f : List.of("wallet.json", "passphrase", "node.url")) {
      Files.copy(
          home.resolve(f), fstabHome.resolve(f), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }
    Path mp = user.resolve("fstab-mnt");
    Files.createDirectories(mp);
    Path helper = deoss.resolveSibling("mount.deoss");
    ProcessBuilder pb =
        new ProcessBuilder(
            helper.toString(),
            "deoss:files",
            mp.toString(),
            "-o",
            "_netdev,nofail,home=" + fstabHome + ",timeout=120");
    pb.environment().putAll(env);
    Tools.run(pb, user, Duration.ofMinutes(3)).orThrow();
    try {
      assertTrue(isMounted(mp), "mount.deoss returned before " + mp + " was mounted");
      assertEquals("hello from deoss up\n", Files.readString(mp.resolve("photos/notes.txt")));
    } finally {
      long pid = Long.parseLong(Files.readAllLines(fstabHome.resolve("mount.pid")).get(0).strip());
      Tools.run(null, CLI_TIMEOUT, "umount", mp.toString()).orThrow();
      ProcessHandle p = ProcessHandle.of(pid).orElse(null);
      if (p != null) {
        p.onExit().get(STOP_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      }
    }
    assertFalse(isMounted(mp), mp + " still mounted after umount");
  }

  @Test
  @Order(6)
  void ctrlC_uploadsWhatIsPending_unmounts_andLeavesNoProcess() throws Exception {
    byte[] late = new byte[3 << 20];
    new SplittableRandom(SEED + 1).nextBytes(late);
    Path f = mount.resolve("files").resolve("written-just-before-ctrl-c.bin");
    Files.write(f, late);
    written.put(f, late);
    long pid = up.pid();

    up.interrupt();
    assertEquals(0, up.awaitExit(STOP_TIMEOUT), up.output());
    String out = up.output();
    assertTrue(out.contains("stopping (SIGINT): uploading pending files"), out);
    assertTrue(out.contains("unmounted " + mount), out);
    assertTrue(out.contains("deoss up: stopped"), out);
    assertFalse(isMounted(mount), mount + " still mounted after Ctrl-C");
    List<String> left =
        ProcessHandle.allProcesses()
            .filter(
                p -> p.pid() == pid || p.info().commandLine().orElse("").contains(user.toString()))
            .filter(ProcessHandle::isAlive)
            .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
            .toList();
    assertEquals(List.of(), left, "processes left behind");
    assertFalse(Files.exists(home.resolve("up.json")), "up.json left behind");
    assertFalse(Files.exists(home.resolve("mount.pid")), "mount.pid left behind");
  }

  @Test
  @Order(7)
  void secondStart_findsTheAccountTheBucketAndEveryFile() throws Exception {
    up = startUp();
    String out = up.output();
    String second = out.substring(out.lastIndexOf("deoss up: starting"));
    assertFalse(second.contains("(first start)"), second);
    assertFalse(second.contains("generated the wallet passphrase"), second);
    assertFalse(second.contains("created the bucket"), second);
    assertEquals(account, accountIn(second));
    assertTrue(second.contains("  miners    12 on "), second);
    assertAllThere("after a restart");

    up.terminate();
    assertEquals(0, up.awaitExit(STOP_TIMEOUT), up.output());
    assertFalse(isMounted(mount), mount + " still mounted after SIGTERM");
  }

  @Test
  @Order(8)
  void afterAKill9_theNextStartCleansTheStaleMountAndUploadsWhatWasClosed() throws Exception {
    up = startUp();
    byte[] data = new byte[(2 << 20) + 5];
    new SplittableRandom(SEED + 2).nextBytes(data);
    Path f = mount.resolve("files").resolve("closed-before-the-crash.bin");
    Files.write(f, data);
    written.put(f, data);

    up.kill(); // SIGKILL: nothing drains, the mount point stays behind
    assertTrue(isMounted(mount), "expected a stale mount after SIGKILL");

    up = startUp();
    assertAllThere("after kill -9 and a restart");
    up.terminate();
    assertEquals(0, up.awaitExit(STOP_TIMEOUT), up.output());
    assertFalse(isMounted(mount), mount + " still mounted after SIGTERM");
  }

  private static void assertAllThere(String when) throws IOException {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<Path, byte[]> e : written.entrySet()) {
      if (!Files.exists(e.getKey())) {
        problems.add(e.getKey() + ": missing");
      } else {
        byte[] got = Files.readAllBytes(e.getKey());
        if (!java.util.Arrays.equals(e.getValue(), got)) {
          problems.add(
              e.getKey()
                  + ": "
                  + got.length
                  + " bytes differ from the "
                  + e.getValue().length
                  + " written");
        }
      }
    }
    assertEquals(List.of(), problems, when);
  }

  private static long uid() {
    return new com.sun.security.auth.module.UnixSystem().getUid();
  }

  private static boolean isMounted(Path mp) throws IOException {
    String target = mp.toAbsolutePath().normalize().toString();
    for (String line :
        Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
      String[] f = line.split(" ");
      if (f.length > 4 && f[4].replace("\\040", " ").equals(target)) {
        return true;
      }
    }
    return false;
  }
}
