package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deoss.cache.ObjectPath;
import org.deoss.cache.UploadProgress;
import org.deoss.core.account.AccountKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deoss status without a node: what it reads from the home, and its exit code. */
class StatusCommandTest {
  @TempDir Path home;

  private final Cli cli = new Cli();
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void status_ofAnEmptyHome_saysThereIsNoNodeAndExits1() {
    assertEquals(1, run("status", "--home", home.toString()));
    assertTrue(out.toString().contains("(no wallet)"), out.toString());
    assertTrue(out.toString().contains("no node.url"), out.toString());
    assertTrue(out.toString().contains("(none running from this home)"), out.toString());
  }

  @Test
  void status_showsTheUploadQueueOfARunningMount() throws Exception {
    UploadProgress p =
        new UploadProgress(
            3,
            1,
            5L << 20,
            7L << 30,
            new ObjectPath(AccountKeys.generate(new java.security.SecureRandom()).id(), "b", "k"),
            "b/k: miners unreachable",
            0);
    MountStatus.of(ProcessHandle.current().pid(), home.resolve("mnt"), 1, p).write(home);
    assertEquals(1, run("status", "--home", home.toString()));
    String text = out.toString();
    assertTrue(text.contains("3 files pending upload (5.0 MiB), 1 failed"), text);
    assertTrue(text.contains("last error: b/k: miners unreachable"), text);
    assertTrue(text.contains("uploaded  7.0 GiB"), text);
  }

  @Test
  void status_json_marksTheMountOfADeadProcessAsNotRunning() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    UploadProgress p = new UploadProgress(2, 0, 100, 0, null, null, 0);
    MountStatus.of(gone.pid(), home.resolve("mnt"), 1, p).write(home);
    Files.writeString(home.resolve("node.url"), "http://127.0.0.1:1\n");
    assertEquals(1, run("status", "--home", home.toString(), "--json"));
    JsonNode j = new ObjectMapper().readTree(out.toString());
    assertEquals(2, j.get("mount").get("pendingFiles").asInt());
    assertEquals(false, j.get("mount").get("running").asBoolean());
    assertTrue(j.has("nodeError"), out.toString());
  }

  @Test
  void sizes_format() {
    assertEquals("0 B", Sizes.format(0));
    assertEquals("1023 B", Sizes.format(1023));
    assertEquals("1.5 KiB", Sizes.format(1536));
    assertEquals("10.0 GiB", Sizes.format(10L << 30));
  }
}
