package org.deoss.tests.bench;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.crypto.SegmentCipher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Segment encryption throughput on a 32 MiB segment. Each invocation handles the whole segment and
 * counts as 32 operations, so the score (ops/s) reads directly as MiB/s. Baselines in the same run:
 * one-shot AES-256-GCM over the whole segment, and System.arraycopy of it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CipherBench {
  static final int SEGMENT_MIB = 32;
  static final int SEGMENT = SEGMENT_MIB << 20;

  /** A SegmentCipher at the chunk size under test, with one segment encrypted in advance. */
  @State(Scope.Thread)
  public static class Segment {
    @Param({"65536", "1048576"})
    int chunkSize;

    SegmentCipher cipher;
    SecureRandom random;
    byte[] plain;
    byte[] encrypted;
    byte[] out;

    @Setup
    public void setUp() {
      random = new SecureRandom();
      cipher = SegmentCipher.create(DataKey.generate(random), new byte[16], chunkSize);
      plain = new byte[SEGMENT];
      new SplittableRandom(1).nextBytes(plain);
      encrypted = new byte[cipher.encryptedLength(SEGMENT)];
      cipher.encrypt(0, plain, 0, SEGMENT, encrypted, 0, random);
      out = new byte[encrypted.length];
    }
  }

  /** Raw buffers and a one-shot GCM cipher. */
  @State(Scope.Thread)
  public static class Raw {
    byte[] plain;
    byte[] out;
    byte[] encrypted;
    SecretKeySpec key;
    Cipher cipher;
    byte[] iv = new byte[12];
    long counter;

    @Setup
    public void setUp() throws GeneralSecurityException {
      plain = new byte[SEGMENT];
      new SplittableRandom(2).nextBytes(plain);
      out = new byte[SEGMENT + 16];
      byte[] k = new byte[32];
      new SecureRandom().nextBytes(k);
      key = new SecretKeySpec(k, "AES");
      cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, new byte[12]));
      encrypted = cipher.doFinal(plain);
    }

    GCMParameterSpec nextIv() {
      counter++;
      for (int i = 0; i < 8; i++) {
        iv[4 + i] = (byte) (counter >>> (56 - 8 * i));
      }
      return new GCMParameterSpec(128, iv);
    }
  }

  @Benchmark
  @OperationsPerInvocation(SEGMENT_MIB)
  public int segmentEncrypt(Segment s) {
    return s.cipher.encrypt(0, s.plain, 0, SEGMENT, s.out, 0, s.random);
  }

  @Benchmark
  @OperationsPerInvocation(SEGMENT_MIB)
  public int segmentDecrypt(Segment s) {
    return s.cipher.decrypt(0, s.encrypted, 0, s.encrypted.length, s.out, 0);
  }

  @Benchmark
  @OperationsPerInvocation(SEGMENT_MIB)
  public int rawGcmEncryptOneShot(Raw r) throws GeneralSecurityException {
    r.cipher.init(Cipher.ENCRYPT_MODE, r.key, r.nextIv());
    return r.cipher.doFinal(r.plain, 0, SEGMENT, r.out, 0);
  }

  @Benchmark
  @OperationsPerInvocation(SEGMENT_MIB)
  public int rawGcmDecryptOneShot(Raw r) throws GeneralSecurityException {
    r.cipher.init(Cipher.DECRYPT_MODE, r.key, new GCMParameterSpec(128, new byte[12]));
    return r.cipher.doFinal(r.encrypted, 0, r.encrypted.length, r.out, 0);
  }

  @Benchmark
  @OperationsPerInvocation(SEGMENT_MIB)
  public byte[] arraycopyBaseline(Raw r) {
    System.arraycopy(r.plain, 0, r.out, 0, SEGMENT);
    return r.out;
  }
}
