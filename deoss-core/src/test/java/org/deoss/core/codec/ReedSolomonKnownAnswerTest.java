package org.deoss.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.deoss.core.hash.Hash256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Known answers: an independent GF(2^8) computation, and the CESS fragments of "hello". */
class ReedSolomonKnownAnswerTest {
  private static final int MIB = 1 << 20;

  static java.util.List<GfKernel> kernels() {
    return KernelSource.kernels();
  }

  @Test
  void matrix_equalsIndependentVandermondeConstruction() {
    int[][] shapes = {{1, 1}, {2, 1}, {4, 2}, {4, 8}, {10, 4}, {17, 3}, {200, 55}};
    for (int[] shape : shapes) {
      int k = shape[0];
      int m = shape[1];
      int[][] expected = NaiveGf.encodingMatrix(k, m);
      ReedSolomon rs = ReedSolomon.create(k, m, ScalarKernel.INSTANCE);
      for (int r = 0; r < k + m; r++) {
        assertArrayEquals(expected[r], rs.matrixRow(r), "row " + r + " of " + k + "+" + m);
      }
    }
  }

  @Test
  void matrix_4plus8_hasTheCessParityRows() {
    int[][] expected = {
      {27, 28, 18, 20}, {28, 27, 20, 18}, {18, 20, 27, 28}, {20, 18, 28, 27},
      {245, 232, 196, 216}, {232, 245, 216, 196}, {196, 216, 245, 232}, {216, 196, 232, 245}
    };
    ReedSolomon rs = ReedSolomon.create(4, 8);
    for (int p = 0; p < 8; p++) {
      assertArrayEquals(expected[p], rs.matrixRow(4 + p), "parity row " + p);
    }
    for (int d = 0; d < 4; d++) {
      int[] identity = new int[4];
      identity[d] = 1;
      assertArrayEquals(identity, rs.matrixRow(d), "data row " + d);
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void encode_equalsIndependentByteByByteParity(GfKernel kernel) {
    int[][] shapes = {{1, 1}, {2, 1}, {4, 2}, {4, 8}, {10, 4}, {17, 3}, {40, 20}};
    long seed = 0x5EEDL;
    SplittableRandom random = new SplittableRandom(seed);
    for (int[] shape : shapes) {
      int k = shape[0];
      int m = shape[1];
      int offset = random.nextInt(70);
      int length = random.nextInt(1, 700);
      byte[][] shards = new byte[k + m][offset + length + random.nextInt(5)];
      for (int i = 0; i < k; i++) {
        random.nextBytes(shards[i]);
      }
      ReedSolomon.create(k, m, kernel).encode(shards, offset, length);
      int[][] matrix = NaiveGf.encodingMatrix(k, m);
      byte[][] data = java.util.Arrays.copyOf(shards, k);
      for (int p = 0; p < m; p++) {
        byte[] expected = NaiveGf.parity(matrix, data, p, offset, length);
        byte[] actual = java.util.Arrays.copyOfRange(shards[k + p], offset, offset + length);
        assertArrayEquals(
            expected,
            actual,
            "parity " + p + " of " + k + "+" + m + ", " + kernel.name() + ", seed " + seed);
      }
    }
  }

  /**
   * The CESS reference vector: "hello" zero-padded to a 32 MiB segment, four 8 MiB shards, 4+8. The
   * fragment hashes are those CESS stores for this content.
   */
  @ParameterizedTest
  @MethodSource("kernels")
  void encode_helloSegment_givesCessFragmentHashes(GfKernel kernel) {
    String[] expected = {
      "9712a14c831ecb8d27b88dfcbe4da84b3c1175a291df9edc124e99e42096584e",
      "2daeb1f36095b44b318410b3f4e8b5d989dcc7bb023d1426c492dab0a3053e74",
      "2daeb1f36095b44b318410b3f4e8b5d989dcc7bb023d1426c492dab0a3053e74",
      "2daeb1f36095b44b318410b3f4e8b5d989dcc7bb023d1426c492dab0a3053e74",
      "16c78730a4d0df126ca998245523b40e1849a61ea34707b3853baed2717a8c9a",
      "75295d2bee95914ff444807339d35b071826724e9cf178d37933958fe091a78f",
      "ce8229336e49dfb0657c8cd6ede272ae811f383f24ff6ae3baab0a0bc3ebab9f",
      "fedd56b2671268b563e488557306ea933905f526afa2b381423e50eb379923df",
      "9e5629634b9867450a2dd3b5ac011ae9bb63086e95fdc3c1a6ebdc8b3953be43",
      "5c1fcb083e30b47797d15201767f279abb655383db2aa0676c4af3e95bc5a67e",
      "3be274d95d1ec184410208b6c69c5497453da8152ead4909b075450e61788297",
      "2050eda37f3cf538984806814e87c67edc23f06e463fe15d18d1daa348772e06"
    };
    byte[][] shards = new byte[12][8 * MIB];
    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(hello, 0, shards[0], 0, hello.length);

    ReedSolomon.create(4, 8, kernel).encode(shards, 0, 8 * MIB);

    for (int i = 0; i < 12; i++) {
      assertEquals(expected[i], Hash256.digest(shards[i]).toHex(), "fragment " + (i + 1) + " hash");
    }
  }
}
