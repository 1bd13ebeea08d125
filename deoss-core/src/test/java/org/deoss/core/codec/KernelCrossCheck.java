package org.deoss.core.codec;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Run in a separate JVM by {@link VectorKernelWidthsTest} (the kernel and vector width are fixed
 * per JVM): encodes and rebuilds random shapes with the default kernel and compares with the scalar
 * kernel. Prints the default kernel's name, then "ok", or the first mismatch and exits with 1.
 */
final class KernelCrossCheck {
  private KernelCrossCheck() {}

  public static void main(String[] args) {
    System.out.println(ReedSolomon.create(4, 8).kernelName());
    long seed = Long.parseLong(args[0]);
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 40; round++) {
      int k = random.nextInt(1, 12);
      int m = random.nextInt(1, 9);
      int offset = random.nextInt(64);
      int length = random.nextInt(0, 2000);
      byte[][] a = new byte[k + m][offset + length];
      for (int i = 0; i < k; i++) {
        random.nextBytes(a[i]);
      }
      byte[][] b = copy(a);
      ReedSolomon.create(k, m, ScalarKernel.INSTANCE).encode(a, offset, length);
      ReedSolomon rs = ReedSolomon.create(k, m);
      rs.encode(b, offset, length);
      boolean[] present = new boolean[k + m];
      Arrays.fill(present, 0, k, true);
      for (int swap = 0; swap < k + m; swap++) {
        int i = random.nextInt(k + m);
        int j = random.nextInt(k + m);
        boolean t = present[i];
        present[i] = present[j];
        present[j] = t;
      }
      byte[][] c = copy(b);
      for (int i = 0; i < k + m; i++) {
        if (!present[i]) {
          Arrays.fill(c[i], offset, offset + length, (byte) 0);
        }
      }
      rs.reconstruct(c, present, offset, length);
      if (!Arrays.deepEquals(a, b) || !Arrays.deepEquals(a, c)) {
        System.out.println("mismatch: " + k + "+" + m + ", round " + round + ", seed " + seed);
        System.exit(1);
      }
    }
    System.out.println("ok");
  }

  private static byte[][] copy(byte[][] shards) {
    byte[][] c = new byte[shards.length][];
    for (int i = 0; i < shards.length; i++) {
      c[i] = shards[i].clone();
    }
    return c;
  }
}
