package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deoss bench at tiny sizes: every line has a positive figure and a positive baseline, the
 * throwaway network's home is gone afterwards, bad input exits 2 naming the option. No figure is
 * compared with a wall-clock expectation.
 */
class BenchCommandTest {
  private static final Pattern HOME = Pattern.compile("miners in (\\S+) \\.\\.\\.");

  private final Cli cli = new Cli();

  private JsonNode json() throws Exception {
    return new ObjectMapper().readTree(cli.out.toString());
  }

  private static void assertEveryLineMeasured(JsonNode report, int lines) {
    assertEquals(lines, report.get("lines").size(), report.toString());
    for (JsonNode line : report.get("lines")) {
      assertTrue(line.get("best").asDouble() > 0, line.toString());
      assertTrue(line.get("median").asDouble() > 0, line.toString());
      assertTrue(line.get("median").asDouble() <= line.get("best").asDouble(), line.toString());
      assertTrue(line.get("baselines").size() >= 1, line.toString());
      for (JsonNode b : line.get("baselines")) {
        assertTrue(b.get("value").asDouble() > 0, line.toString());
        assertEquals("MB/s", b.get("unit").asText(), line.toString());
      }
    }
  }

  @Test
  void pipeline_json_givesWriteAndReadLinesEachWithArraycopyAndSha256Baselines() throws Exception {
    assertEquals(0, cli.run("bench", "pipeline", "--size", "4MiB", "--rounds", "2", "--json"));
    JsonNode report = json();
    assertEveryLineMeasured(report, 3);
    assertTrue(report.get("lines").get(0).get("what").asText().startsWith("write pipeline"));
    assertTrue(report.get("lines").get(1).get("what").asText().startsWith("read path, healthy"));
    JsonNode baselines = report.get("lines").get(0).get("baselines");
    assertEquals("System.arraycopy", baselines.get(0).get("what").asText());
    assertEquals("SHA-256", baselines.get(1).get("what").asText());
    assertTrue(cli.err.toString().contains("round warm-up"), cli.err.toString());
  }

  @Test
  void pipeline_ofASizeThatIsNotAWholeNumberOfSegments_measuresTheShortLastSegmentToo()
      throws Exception {
    // 32 MiB segments: 33 MiB is one full segment and one of 1 MiB
    assertEquals(0, cli.run("bench", "pipeline", "--size", "33MiB", "--rounds", "1", "--json"));
    assertEveryLineMeasured(json(), 3);
  }

  @Test
  void pipeline_table_printsOneRowPerLineWithItsBaselines() {
    assertEquals(0, cli.run("bench", "pipeline", "--size", "1MiB", "--rounds", "1"));
    String text = cli.out.toString();
    long rows =
        text.lines().filter(l -> l.contains("System.arraycopy") && l.contains("SHA-256 ")).count();
    assertEquals(3, rows, text);
    assertTrue(text.contains("kernel:"), text);
  }

  @Test
  void pipeline_whenSizeIsNotASize_exits2NamingTheOption() {
    assertEquals(2, cli.run("bench", "pipeline", "--size", "lots"));
    assertTrue(cli.err.toString().contains("--size"), cli.err.toString());
    assertEquals("", cli.out.toString());
  }

  @Test
  void pipeline_whenSizeIsZero_exits2NamingTheOption() {
    assertEquals(2, cli.run("bench", "pipeline", "--size", "0"));
    assertTrue(cli.err.toString().contains("--size 0"), cli.err.toString());
  }

  @Test
  void pipeline_whenRoundsIsZero_exits2NamingTheOption() {
    assertEquals(2, cli.run("bench", "pipeline", "--rounds", "0"));
    assertTrue(cli.err.toString().contains("--rounds 0"), cli.err.toString());
  }

  @Test
  void network_putsAndGetsOnAThrowawayNetwork_andDeletesItsHome() throws Exception {
    assertEquals(
        0,
        cli.run("bench", "network", "--size", "4MiB", "--small", "5", "--miners", "12", "--json"),
        cli.err.toString());
    JsonNode report = json();
    assertEveryLineMeasured(report, 3);
    assertTrue(report.get("lines").get(0).get("what").asText().startsWith("put 4.0 MiB"));
    assertTrue(report.get("lines").get(1).get("what").asText().startsWith("get 4.0 MiB"));
    assertTrue(report.get("lines").get(2).get("what").asText().startsWith("5 puts of 64 KiB"));
    assertEquals("puts/s", report.get("lines").get(2).get("unit").asText());
    Matcher home = HOME.matcher(cli.err.toString());
    assertTrue(home.find(), cli.err.toString());
    Path dir = Path.of(home.group(1));
    assertTrue(
        dir.getFileName().toString().startsWith("deoss-bench-")
            && dir.getParent().equals(Path.of(System.getProperty("java.io.tmpdir"))),
        dir.toString());
    assertFalse(Files.exists(dir), dir + " is left behind");
  }

  @Test
  void network_whenMinersIsZero_exits2NamingTheOptionBeforeStartingAnything() {
    assertEquals(2, cli.run("bench", "network", "--miners", "0"));
    assertTrue(cli.err.toString().contains("--miners 0"), cli.err.toString());
    assertFalse(cli.err.toString().contains("starting"), cli.err.toString());
  }

  @Test
  void network_whenSizeIsBad_exits2NamingTheOption() {
    assertEquals(2, cli.run("bench", "network", "--size", "12 parsecs"));
    assertTrue(cli.err.toString().contains("--size"), cli.err.toString());
  }

  @Test
  void network_whenSmallIsZero_exits2NamingTheOption() {
    assertEquals(2, cli.run("bench", "network", "--small", "0"));
    assertTrue(cli.err.toString().contains("--small 0"), cli.err.toString());
  }

  @Test
  void mount_writesAndReadsThroughATemporaryMount_andLeavesNoMountNorHome() throws Exception {
    assertEquals(
        0,
        cli.run("bench", "mount", "--size", "4MiB", "--miners", "12", "--json"),
        cli.err.toString());
    JsonNode report = json();
    assertEveryLineMeasured(report, 2);
    assertEquals(
        "plain folder write+fsync",
        report.get("lines").get(0).get("baselines").get(0).get("what").asText());
    assertEquals(
        "plain folder read",
        report.get("lines").get(1).get("baselines").get(0).get("what").asText());
    Matcher home = HOME.matcher(cli.err.toString());
    assertTrue(home.find(), cli.err.toString());
    Path dir = Path.of(home.group(1));
    assertFalse(Files.exists(dir), dir + " is left behind");
    assertFalse(
        Files.readString(Path.of("/proc/self/mounts")).contains(dir.toString()),
        "a mount under " + dir + " is left behind");
  }

  @Test
  void mount_withoutFuse_exits2SayingWhatToInstallAndMeasuresNothing() {
    BenchMountCommand command = new BenchMountCommand();
    command.host = new NoFuse();
    picocli.CommandLine cmd = new picocli.CommandLine(command);
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    cmd.setOut(new java.io.PrintWriter(out, true));
    cmd.setErr(new java.io.PrintWriter(err, true));
    assertEquals(2, cmd.execute("--size", "1MiB"));
    assertTrue(err.toString().contains("apt-get install -y fuse libfuse2"), err.toString());
    assertTrue(err.toString().contains("./bench-mount"), err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void mount_whenSizeIsBad_exits2NamingTheOption() {
    assertEquals(2, cli.run("bench", "mount", "--size", "-1"));
    assertTrue(cli.err.toString().contains("--size"), cli.err.toString());
  }

  /** A system without FUSE. */
  private static final class NoFuse implements Prerequisites.Host {
    @Override
    public boolean hasCommand(String name) {
      return !name.equals("fusermount");
    }

    @Override
    public boolean hasLibrary(String soname) {
      return false;
    }

    @Override
    public boolean hasDevice(Path device) {
      return false;
    }

    @Override
    public boolean isRoot() {
      return false;
    }

    @Override
    public int run(java.util.List<String> command) {
      throw new AssertionError("bench mount must not run " + command);
    }
  }

  @Test
  void everySubcommand_hasHelp() {
    for (String sub : new String[] {"pipeline", "network", "mount"}) {
      Cli c = new Cli();
      assertEquals(0, c.run("bench", sub, "--help"), sub);
      assertTrue(c.out.toString().contains("Usage: deoss bench " + sub), c.out.toString());
    }
    Cli c = new Cli();
    assertEquals(0, c.run("bench", "--help"));
    assertTrue(c.out.toString().contains("pipeline"), c.out.toString());
  }

  @Test
  void report_medianOfAnEvenCount_isTheMeanOfTheMiddleTwo() {
    assertEquals(2.5, BenchReport.median(new double[] {4, 1, 3, 2}));
    assertEquals(4, BenchReport.best(new double[] {4, 1, 3, 2}));
  }
}
