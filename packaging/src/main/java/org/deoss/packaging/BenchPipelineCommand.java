package org.deoss.packaging;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.crypto.SegmentCipher;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.pipeline.EncodedSegment;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.pipeline.SegmentDecoder;
import org.deoss.core.pipeline.SegmentEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deoss bench pipeline}: the CPU path of writes and reads in this JVM, on one thread, with
 * the default configuration, beside {@code System.arraycopy} and SHA-256 of the same bytes.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "Time the write pipeline (AES-256-GCM, Reed-Solomon 4+8, 12 fragment ids, segment hash) and"
          + " the read path (verify 4 fragments, join or rebuild, decrypt) on one thread, in"
          + " memory, with no network and no disk.",
      "SIZE bytes are processed as segments of the default size (32 MiB) cut from one random"
          + " block, so memory use stays near 300 MiB whatever SIZE is. One warm-up round is"
          + " not counted; the best and the median of the rounds are printed, beside"
          + " System.arraycopy and SHA-256 of the same bytes in the same rounds.",
      "The fast Reed-Solomon kernel needs JAVA_OPTS=--add-modules=jdk.incubator.vector; the"
          + " first line says which kernel ran."
    })
final class BenchPipelineCommand implements Callable<Integer> {
  private static final long MAX_SIZE = 1L << 40;

  @Spec CommandSpec spec;

  @Option(
      names = "--size",
      paramLabel = "SIZE",
      defaultValue = "256MiB",
      description = "Bytes per round (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "5",
      description = "Measured rounds, after one warm-up round (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--json", description = "Print the results as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    long bytes = BenchCommand.size("--size", size, 1, MAX_SIZE);
    BenchCommand.count("--rounds", rounds, 1, 1000);
    PrintWriter err = spec.commandLine().getErr();
    PipelineConfig config = PipelineConfig.defaults();
    Workload w = new Workload(config, bytes, new SecureRandom());
    double[][] figures = new double[Row.values().length][rounds];
    for (int r = -1; r < rounds; r++) {
      err.printf(
          "%s round %s: %s ...%n",
          "deoss bench pipeline", r < 0 ? "warm-up" : (r + 1) + "/" + rounds, Sizes.format(bytes));
      err.flush();
      for (Row row : Row.values()) {
        double mbs = w.run(row);
        if (r >= 0) {
          figures[row.ordinal()][r] = mbs;
        }
      }
    }
    BenchReport report =
        new BenchReport(
            "deoss bench pipeline: "
                + Sizes.format(bytes)
                + " per round, "
                + rounds
                + " rounds after a warm-up, one thread; baselines: median of the same rounds");
    report.note(machine());
    report.note(
        "Reed-Solomon "
            + config.dataShards()
            + "+"
            + config.parityShards()
            + ", segments of "
            + Sizes.format(config.segmentSize())
            + ", AES-256-GCM chunks of "
            + Sizes.format(config.chunkSize())
            + "; kernel: "
            + (BenchBaselines.vectorApi()
                ? "vector (Vector API loaded)"
                : "scalar (add JAVA_OPTS=--add-modules=jdk.incubator.vector for the vector one)"));
    List<BenchReport.Baseline> baselines =
        List.of(
            new BenchReport.Baseline(
                Row.ARRAYCOPY.what, BenchReport.median(figures[Row.ARRAYCOPY.ordinal()])),
            new BenchReport.Baseline(
                Row.SHA256.what, BenchReport.median(figures[Row.SHA256.ordinal()])));
    for (Row row : List.of(Row.WRITE, Row.READ_HEALTHY, Row.READ_WORST)) {
      double[] f = figures[row.ordinal()];
      report.add(
          new BenchReport.Line(
              row.what, "MB/s", BenchReport.best(f), BenchReport.median(f), baselines));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      report.printJson(out);
    } else {
      report.printTable(out);
    }
    return 0;
  }

  static String machine() {
    return "machine: "
        + Runtime.getRuntime().availableProcessors()
        + " cores, Java "
        + Runtime.version()
        + ", max heap "
        + Sizes.format(Runtime.getRuntime().maxMemory())
        + ", "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch");
  }

  /** The measured lines, in the order they run in each round. */
  enum Row {
    ARRAYCOPY("System.arraycopy"),
    SHA256("SHA-256"),
    WRITE("write pipeline (encrypt, RS 4+8, 12 fragment ids)"),
    READ_HEALTHY("read path, healthy (verify 4 data fragments, decrypt)"),
    READ_WORST("read path, worst case (verify 4 parity, rebuild 4, decrypt)");

    final String what;

    Row(String what) {
      this.what = what;
    }
  }

  /**
   * What one round does: SIZE bytes as segments of one random block. The read rows decode fragments
   * made once from that block (a full segment and, if SIZE is not a multiple of it, the short last
   * one), verifying each fragment against its id every time, as a reader does.
   */
  static final class Workload {
    private final PipelineConfig config;
    private final long bytes;
    private final SecureRandom random;
    private final byte[] block;
    private final byte[] out;
    private final SegmentCipher cipher;
    private final SegmentEncoder encoder;
    private final EncodedSegment workspace;
    private final SegmentDecoder decoder;
    private final Fragments full;
    private final Fragments last;
    private final byte[][] scratch;

    Workload(PipelineConfig config, long bytes, SecureRandom random) {
      this.config = config;
      this.bytes = bytes;
      this.random = random;
      int blockLength = (int) Math.min(bytes, config.segmentSize());
      block = new byte[blockLength];
      new SplittableRandom(random.nextLong()).nextBytes(block);
      out = new byte[blockLength];
      byte[] objectId = new byte[SegmentCipher.OBJECT_ID_LENGTH];
      random.nextBytes(objectId);
      cipher = SegmentCipher.create(DataKey.generate(random), objectId, config.chunkSize());
      encoder = new SegmentEncoder(config);
      workspace = encoder.newWorkspace(cipher, blockLength);
      decoder = new SegmentDecoder(config.dataShards(), config.parityShards());
      full = fragments(blockLength);
      int rest = (int) (bytes % config.segmentSize());
      last = rest == 0 || rest == blockLength ? full : fragments(rest);
      scratch = new byte[config.dataShards()][full.shardLength];
    }

    /** Runs one row over SIZE bytes; returns MB/s. */
    double run(Row row) {
      return switch (row) {
        case ARRAYCOPY -> BenchBaselines.arraycopy(block, bytes);
        case SHA256 -> BenchBaselines.sha256(block, bytes);
        case WRITE -> timed(this::write);
        case READ_HEALTHY -> timed(() -> read(0));
        case READ_WORST -> timed(() -> read(config.dataShards()));
      };
    }

    private double timed(Runnable work) {
      long start = System.nanoTime();
      work.run();
      return BenchReport.mbPerSecond(bytes, System.nanoTime() - start);
    }

    private void write() {
      int index = 0;
      for (long done = 0; done < bytes; index++) {
        int len = (int) Math.min(config.segmentSize(), bytes - done);
        encoder.encode(cipher, index, block, 0, len, random, workspace);
        done += len;
      }
    }

    /** Reads every segment from the k fragments starting at {@code first}. */
    private void read(int first) {
      for (long done = 0; done < bytes; ) {
        int len = (int) Math.min(config.segmentSize(), bytes - done);
        Fragments f = len == full.plainLength ? full : last;
        boolean[] present = new boolean[config.totalShards()];
        byte[][] shards = new byte[config.totalShards()][];
        System.arraycopy(scratch, 0, shards, 0, scratch.length); // rebuilt data shards go here
        for (int i = first; i < first + config.dataShards(); i++) {
          if (!FragmentMerkle.root(f.fragments[i], 0, f.shardLength).equals(f.ids[i])) {
            throw new IllegalStateException("fragment " + i + " does not match its id");
          }
          shards[i] = f.fragments[i];
          present[i] = true;
        }
        decoder.decode(cipher, 0, len, f.encryptedLength, f.shardLength, shards, present, out);
        done += len;
      }
    }

    /** Encodes segment 0 of {@code len} bytes and keeps its first 2k fragments and their ids. */
    private Fragments fragments(int len) {
      encoder.encode(cipher, 0, block, 0, len, random, workspace);
      int kept = 2 * config.dataShards();
      byte[][] fragments = new byte[config.totalShards()][];
      Hash256[] ids = new Hash256[config.totalShards()];
      int shardLength = workspace.fragmentLength();
      for (int i = 0; i < kept; i++) {
        fragments[i] = new byte[shardLength];
        workspace.fragment(i).get(fragments[i]);
        ids[i] = workspace.fragmentId(i);
      }
      return new Fragments(len, workspace.encryptedLength(), shardLength, fragments, ids);
    }
  }

  private record Fragments(
      int plainLength, int encryptedLength, int shardLength, byte[][] fragments, Hash256[] ids) {}
}
