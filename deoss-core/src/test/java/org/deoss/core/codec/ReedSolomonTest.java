package org.deoss.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Construction, argument checks, verify, and the two kernels against each other. */
class ReedSolomonTest {
  @Test
  void create_default_is4plus8WithCounts() {
    ReedSolomon rs = ReedSolomon.create(4, 8);
    assertEquals(4, rs.dataShards());
    assertEquals(8, rs.parityShards());
    assertEquals(12, rs.totalShards());
  }

  @Test
  void create_whenCountsOutOfRange_failsNamingValue() {
    assertEquals(
        "dataShards must be >= 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> ReedSolomon.create(0, 2)).getMessage());
    assertEquals(
        "parityShards must be >= 1, got -1",
        assertThrows(IllegalArgumentException.class, () -> ReedSolomon.create(4, -1)).getMessage());
    assertEquals(
        "dataShards + parityShards must be <= 255, got 200 + 56 = 256",
        assertThrows(IllegalArgumentException.class, () -> ReedSolomon.create(200, 56))
            .getMessage());
  }

  @Test
  void create_scalarKernel_isScalar() {
    assertEquals("scalar", ReedSolomon.create(4, 8, ReedSolomon.Kernel.SCALAR).kernelName());
  }

  @Test
  void create_whenVectorModulePresent_autoPicksVectorKernel() {
    assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
    assertTrue(ReedSolomon.create(4, 8).kernelName().startsWith("vector-"));
    assertTrue(
        ReedSolomon.create(4, 8, ReedSolomon.Kernel.VECTOR).kernelName().startsWith("vector-"));
  }

  @Test
  void vectorKernel_equalsScalarKernel_onRandomShapesAndRanges() {
    GfKernel vector = Kernels.vector().orElse(null);
    assumeTrue(vector != null, "vector kernel not available");
    long seed = 0xC0DEL;
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 60; round++) {
      int k = random.nextInt(1, 20);
      int m = random.nextInt(1, 20);
      int offset = random.nextInt(100);
      // every fifth round spans several of the kernels' 8 KiB blocks
      int length = round % 5 == 0 ? random.nextInt(8000, 40000) : random.nextInt(0, 3000);
      byte[][] a = new byte[k + m][offset + length];
      for (int i = 0; i < k; i++) {
        random.nextBytes(a[i]);
      }
      byte[][] b = new byte[k + m][];
      for (int i = 0; i < k + m; i++) {
        b[i] = a[i].clone();
      }
      ReedSolomon.create(k, m, ScalarKernel.INSTANCE).encode(a, offset, length);
      ReedSolomon.create(k, m, vector).encode(b, offset, length);
      for (int i = 0; i < k + m; i++) {
        assertArrayEquals(
            a[i],
            b[i],
            "shard " + i + " of " + k + "+" + m + ", round " + round + ", seed " + seed);
      }
    }
  }

  @Test
  void verify_detectsOneFlippedParityBit() {
    ReedSolomon rs = ReedSolomon.create(4, 8);
    int length = 200_000; // more than one verify block
    byte[][] shards = new byte[12][length];
    new SplittableRandom(7).nextBytes(shards[0]);
    rs.encode(shards, 0, length);
    assertTrue(rs.verify(shards, 0, length));
    shards[9][length - 1] ^= 1;
    assertFalse(rs.verify(shards, 0, length));
    assertTrue(rs.verify(shards, 0, length - 1));
  }

  @Test
  void encode_whenShardCountOrSizeWrong_failsNamingIt() {
    ReedSolomon rs = ReedSolomon.create(4, 2);
    assertEquals(
        "expected 6 shards, got 5",
        assertThrows(IllegalArgumentException.class, () -> rs.encode(new byte[5][8], 0, 8))
            .getMessage());
    byte[][] shards = new byte[6][8];
    shards[3] = new byte[4];
    assertEquals(
        "shard 3 has 4 bytes, range needs 8",
        assertThrows(IllegalArgumentException.class, () -> rs.encode(shards, 0, 8)).getMessage());
    shards[3] = null;
    assertEquals(
        "shard 3 is null",
        assertThrows(IllegalArgumentException.class, () -> rs.encode(shards, 0, 8)).getMessage());
  }

  @Test
  void reconstructData_allowsNullMissingParity() {
    ReedSolomon rs = ReedSolomon.create(2, 2);
    byte[][] shards = {{1, 2, 3}, {4, 5, 6}, new byte[3], new byte[3]};
    rs.encode(shards, 0, 3);
    byte[] parity0 = shards[2].clone();
    byte[][] damaged = {new byte[3], shards[1], parity0, null};
    rs.reconstructData(damaged, new boolean[] {false, true, true, false}, 0, 3);
    assertArrayEquals(new byte[] {1, 2, 3}, damaged[0]);
  }

  @Test
  void zeroLength_isANoOp() {
    ReedSolomon rs = ReedSolomon.create(4, 8);
    byte[][] shards = new byte[12][0];
    rs.encode(shards, 0, 0);
    assertTrue(rs.verify(shards, 0, 0));
    boolean[] present = new boolean[12];
    present[4] = present[5] = present[6] = present[7] = true;
    rs.reconstruct(shards, present, 0, 0);
  }
}
