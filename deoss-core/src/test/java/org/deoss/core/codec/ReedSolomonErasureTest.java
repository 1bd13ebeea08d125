package org.deoss.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** "Any k of n rebuild": every erasure pattern of up to m shards, for several shapes. */
class ReedSolomonErasureTest {
  private static final byte GARBAGE = (byte) 0xA5;

  static List<GfKernel> kernels() {
    return KernelSource.kernels();
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void reconstruct_everyPatternUpToParityCount_rebuildsAllShards(GfKernel kernel) {
    int[][] shapes = {{4, 8}, {1, 1}, {2, 1}, {4, 2}, {10, 4}, {17, 3}};
    for (int[] shape : shapes) {
      int k = shape[0];
      int m = shape[1];
      int n = k + m;
      // the length is not a multiple of any vector width, so the tail path runs too
      Fixture f = new Fixture(ReedSolomon.create(k, m, kernel), 3, 2 * 64 + 37, 1234L + n);
      int patterns = 0;
      for (int missing = 0; missing < (1 << n); missing++) {
        if (Integer.bitCount(missing) <= m) {
          f.checkReconstruct(missing);
          f.checkReconstructData(missing);
          patterns++;
        }
      }
      if (k == 4 && m == 8) {
        assertEquals(3797, patterns, "patterns of at most 8 of 12 missing");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void reconstruct_200plus55_randomPatternsRebuild(GfKernel kernel) {
    long seed = 255L;
    SplittableRandom random = new SplittableRandom(seed);
    Fixture f = new Fixture(ReedSolomon.create(200, 55, kernel), 0, 100, seed);
    for (int round = 0; round < 12; round++) {
      boolean[] present = new boolean[255];
      Arrays.fill(present, true);
      int lose = round == 0 ? 55 : random.nextInt(1, 56);
      for (int lost = 0; lost < lose; ) {
        int i = random.nextInt(255);
        if (present[i]) {
          present[i] = false;
          lost++;
        }
      }
      f.check(present, false, "seed " + seed + " round " + round);
      f.check(present, true, "seed " + seed + " round " + round);
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void reconstruct_fewLostShardsOverManyBlocks_rebuilds(GfKernel kernel) {
    Fixture f = new Fixture(ReedSolomon.create(4, 8, kernel), 7, 3 * 8192 + 77, 4L);
    for (int lost = 0; lost < 12; lost++) {
      f.checkReconstruct(1 << lost);
      f.checkReconstructData(1 << lost);
      f.checkReconstruct(1 << lost | 1 << ((lost + 5) % 12) | 1 << ((lost + 7) % 12));
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void reconstruct_fromManyThreadsOnOneCoder_rebuilds(GfKernel kernel) throws Exception {
    ReedSolomon rs = ReedSolomon.create(4, 8, kernel);
    Fixture f = new Fixture(rs, 0, 1000, 31L);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long seed = 100L + t;
        done.add(
            pool.submit(
                () -> {
                  SplittableRandom random = new SplittableRandom(seed);
                  for (int round = 0; round < 300; round++) {
                    int missing = random.nextInt(1 << 12);
                    if (Integer.bitCount(missing) <= 8) {
                      f.check(f.present(missing), round % 2 == 0, "seed " + seed);
                    }
                  }
                }));
      }
      for (Future<?> d : done) {
        d.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void reconstruct_whenFewerThanKPresent_failsNamingCounts(GfKernel kernel) {
    ReedSolomon rs = ReedSolomon.create(4, 8, kernel);
    byte[][] shards = new byte[12][16];
    boolean[] present = new boolean[12];
    present[0] = true;
    present[5] = true;
    present[11] = true;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> rs.reconstruct(shards, present, 0, 16));
    assertEquals("need 4 shards, have 3", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> rs.reconstructData(shards, present, 0, 16));
    assertEquals("need 4 shards, have 3", e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void reconstruct_repeatedPatternsBeyondCacheSize_stayCorrect(GfKernel kernel) {
    Fixture f = new Fixture(ReedSolomon.create(4, 8, kernel), 0, 70, 99L);
    for (int pass = 0; pass < 2; pass++) {
      for (int missing = 0; missing < 4096; missing += 7) {
        if (Integer.bitCount(missing) <= 8) {
          f.checkReconstructData(missing);
        }
      }
    }
  }

  /** Encoded shards with a margin around the coded range that must never change. */
  private static final class Fixture {
    final ReedSolomon rs;
    final int offset;
    final int length;
    final byte[][] original;

    Fixture(ReedSolomon rs, int offset, int length, long seed) {
      this.rs = rs;
      this.offset = offset;
      this.length = length;
      SplittableRandom random = new SplittableRandom(seed);
      original = new byte[rs.totalShards()][offset + length + 2];
      for (byte[] shard : original) {
        random.nextBytes(shard);
      }
      rs.encode(original, offset, length);
      assertTrue(rs.verify(original, offset, length));
    }

    void checkReconstruct(int missingMask) {
      check(present(missingMask), false, "missing mask " + Integer.toBinaryString(missingMask));
    }

    void checkReconstructData(int missingMask) {
      check(present(missingMask), true, "missing mask " + Integer.toBinaryString(missingMask));
    }

    boolean[] present(int missingMask) {
      boolean[] present = new boolean[rs.totalShards()];
      for (int i = 0; i < present.length; i++) {
        present[i] = (missingMask & (1 << i)) == 0;
      }
      return present;
    }

    void check(boolean[] present, boolean dataOnly, String what) {
      byte[][] shards = new byte[original.length][];
      for (int i = 0; i < shards.length; i++) {
        shards[i] = original[i].clone();
        if (!present[i]) {
          Arrays.fill(shards[i], offset, offset + length, GARBAGE);
        }
      }
      if (dataOnly) {
        rs.reconstructData(shards, present, offset, length);
      } else {
        rs.reconstruct(shards, present, offset, length);
      }
      for (int i = 0; i < shards.length; i++) {
        boolean rebuilt = present[i] || !dataOnly || i < rs.dataShards();
        if (rebuilt) {
          assertArrayEquals(
              original[i],
              shards[i],
              "shard " + i + " of " + rs + (dataOnly ? " (data only), " : ", ") + what);
        } else {
          byte[] untouched = original[i].clone();
          Arrays.fill(untouched, offset, offset + length, GARBAGE);
          assertArrayEquals(untouched, shards[i], "parity shard " + i + " untouched, " + what);
        }
      }
    }
  }
}
