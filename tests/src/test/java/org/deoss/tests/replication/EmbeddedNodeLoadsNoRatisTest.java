package org.deoss.tests.replication;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The default, embedded {@code deoss node} runs without loading a single Ratis class. */
class EmbeddedNodeLoadsNoRatisTest {
  @TempDir Path home;

  @Test
  @Timeout(120)
  void embeddedNode_servesWithoutLoadingRatis() throws Exception {
    Path classes = home.resolve("classes.txt");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-Xmx128m",
            "-Xlog:class+load=info:file=" + classes,
            "-cp",
            System.getProperty("java.class.path"),
            "org.deoss.packaging.Main",
            "node",
            "--home",
            home.toString(),
            "--listen",
            "127.0.0.1:0"));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("console.txt").toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!Files.exists(home.resolve("node.url"))) {
        assertTrue(p.isAlive(), () -> "node exited: " + read(home.resolve("console.txt")));
        assertTrue(System.nanoTime() < deadline, "node did not start in 90 s");
        Thread.sleep(50);
      }
    } finally {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    String loaded = Files.readString(classes);
    assertTrue(loaded.contains("org.deoss.transfer.node.LedgerNodeServer"), "class log is empty");
    assertFalse(loaded.contains("org.apache.ratis"), "the embedded node loaded a Ratis class");
    assertFalse(
        loaded.contains("org.deoss.replication.RatisLedger"),
        "the embedded node loaded the replicated ledger");
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (java.io.IOException e) {
      return "(no console: " + e + ")";
    }
  }
}
