package org.deoss.tests.bench;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.crypto.SegmentCipher;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.pipeline.EncodedSegment;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.pipeline.SegmentDecoder;
import org.deoss.core.pipeline.SegmentEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The whole CPU path of one 32 MiB segment with the default configuration (AES-256-GCM in 64 KiB
 * chunks, RS 4+8, fragment ids), on one thread. Every benchmark handles 32 MiB per invocation and
 * counts it as 32 operations, so the score in ops/s reads as MiB/s of user data.
 *
 * <ul>
 *   <li>{@link #write}: encrypt, split, Reed-Solomon, 12 fragment ids, segment hash.
 *   <li>{@link #readHealthy}: verify the 4 data fragments against their ids, join, decrypt.
 *   <li>{@link #readWorstCase}: verify 4 parity fragments, rebuild all 4 data shards, decrypt.
 *   <li>{@link #arraycopy}: copy 32 MiB, the memory baseline of the same run.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class PipelineBench {
  private static final int MIB = 1 << 20;
  private static final int SEGMENT = 32 * MIB;

  private final SecureRandom secure = new SecureRandom();
  private PipelineConfig config;
  private SegmentCipher cipher;
  private SegmentEncoder encoder;
  private EncodedSegment workspace;
  private SegmentDecoder decoder;
  private byte[] plain;
  private byte[] out;
  private byte[] copy;
  private byte[][] fragments;
  private Hash256[] ids;
  private int encryptedLength;
  private int shardLength;

  @Setup
  public void setUp() {
    config = PipelineConfig.defaults();
    byte[] objectId = new byte[16];
    secure.nextBytes(objectId);
    cipher = SegmentCipher.create(DataKey.generate(secure), objectId, config.chunkSize());
    encoder = new SegmentEncoder(config);
    workspace = encoder.newWorkspace(cipher);
    decoder = new SegmentDecoder(config.dataShards(), config.parityShards());
    plain = new byte[SEGMENT];
    new SplittableRandom(1).nextBytes(plain);
    out = new byte[SEGMENT];
    copy = new byte[SEGMENT];
    encoder.encode(cipher, 0, plain, 0, SEGMENT, secure, workspace);
    encryptedLength = workspace.encryptedLength();
    shardLength = workspace.fragmentLength();
    fragments = new byte[config.totalShards()][];
    ids = new Hash256[config.totalShards()];
    for (int i = 0; i < fragments.length; i++) {
      fragments[i] = new byte[shardLength];
      workspace.fragment(i).get(fragments[i]);
      ids[i] = workspace.fragmentId(i);
    }
  }

  @Benchmark
  @OperationsPerInvocation(32)
  public Hash256 write() {
    encoder.encode(cipher, 0, plain, 0, SEGMENT, secure, workspace);
    return workspace.segmentHash();
  }

  @Benchmark
  @OperationsPerInvocation(32)
  public byte[] readHealthy() {
    return read(0);
  }

  @Benchmark
  @OperationsPerInvocation(32)
  public byte[] readWorstCase() {
    return read(config.dataShards());
  }

  /** Verifies k fragments from {@code first} on, decodes and decrypts. */
  private byte[] read(int first) {
    boolean[] present = new boolean[config.totalShards()];
    byte[][] shards = new byte[config.totalShards()][];
    for (int i = first; i < first + config.dataShards(); i++) {
      verify(i);
      shards[i] = fragments[i];
      present[i] = true;
    }
    decoder.decode(cipher, 0, SEGMENT, encryptedLength, shardLength, shards, present, out);
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(32)
  public byte[] arraycopy() {
    System.arraycopy(plain, 0, copy, 0, SEGMENT);
    return copy;
  }

  private void verify(int i) {
    if (!FragmentMerkle.root(fragments[i], 0, shardLength).equals(ids[i])) {
      throw new IllegalStateException("fragment " + i + " does not match its id");
    }
  }
}
