package org.deoss.fs;

import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.deoss.core.codec.ReedSolomon;
import org.deoss.core.crypto.SegmentCipher;
import org.deoss.core.hash.FragmentMerkle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the JIT to compile the data path before the first read, on tiny inputs.
 *
 * <p>Why: the JDK's AES-GCM reaches its GHASH and AES-CTR intrinsics only from code that C2 has
 * compiled, and C2 compiles a method after some thousands of calls. A mount decrypts one 64 KiB
 * chunk per call, so a fresh mount ran GHASH's Java body (about 100 MB/s instead of 4 GB/s) for its
 * first hundreds of MiB: most of the CPU of a sequential read of 256 MiB after a remount, and of
 * every 4 KiB random read for far longer (one chunk per read). Calls, not bytes, are what count:
 * ten thousand encryptions and decryptions of 256 bytes cost about 0.1 s of CPU. The Reed-Solomon
 * vector kernel (the Vector API is very slow until C2 compiles it; reads use it when they rebuild
 * from parity, writes always) and the fragment ids' SHA-256 get the same treatment.
 *
 * <p>Runs once per process on one daemon thread; changes no state and no output. A failure is
 * logged at DEBUG and otherwise ignored: it only costs speed.
 */
final class JitWarmup {
  private static final Logger log = LoggerFactory.getLogger(JitWarmup.class);

  /** AES-GCM encryptions and decryptions (C2's threshold is about 5,000 calls). */
  static final int GCM_ROUNDS = 10_000;

  /** Reed-Solomon encodes and rebuilds of 4 KiB shards. */
  static final int CODE_ROUNDS = 300;

  /** Fragment ids of one 1 KiB leaf. */
  static final int HASH_ROUNDS = 3_000;

  private static Thread started; // guarded by the class

  private JitWarmup() {}

  /**
   * Starts the warm-up on a daemon thread, once per process; later calls start nothing.
   *
   * @return the warm-up's thread (the same one for every call)
   */
  static synchronized Thread start() {
    if (started == null) {
      Thread t = new Thread(JitWarmup::runQuietly, "deoss-jit-warmup");
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      started = t;
      t.start();
    }
    return started;
  }

  private static void runQuietly() {
    long t0 = System.nanoTime();
    try {
      run(GCM_ROUNDS, CODE_ROUNDS, HASH_ROUNDS);
      log.debug("JIT warm-up done in {} ms", (System.nanoTime() - t0) / 1_000_000);
    } catch (GeneralSecurityException | RuntimeException e) {
      log.debug("JIT warm-up stopped: {}", e.toString());
    }
  }

  /**
   * The warm-up itself, on the calling thread: AES-GCM as {@link SegmentCipher} calls it (a fresh
   * init, a 28-byte header as associated data, one doFinal per chunk), the 4+8 code, fragment ids.
   *
   * @return a value computed from the outputs, so that none of the work is dead code
   */
  static int run(int gcmRounds, int codeRounds, int hashRounds) throws GeneralSecurityException {
    SplittableRandom random = new SplittableRandom(0x5eed);
    int sink = 0;
    byte[] key = new byte[32];
    random.nextBytes(key);
    SecretKeySpec spec = new SecretKeySpec(key, "AES");
    byte[] header = new byte[SegmentCipher.HEADER_LENGTH];
    byte[] nonce = new byte[12];
    byte[] plain = new byte[256];
    byte[] sealed = new byte[plain.length + SegmentCipher.TAG_LENGTH];
    byte[] opened = new byte[plain.length];
    Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
    Cipher dec = Cipher.getInstance("AES/GCM/NoPadding");
    for (int i = 0; i < gcmRounds; i++) {
      nonce[0] = (byte) i;
      nonce[1] = (byte) (i >>> 8);
      nonce[2] = (byte) (i >>> 16);
      enc.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(128, nonce));
      enc.updateAAD(header);
      enc.doFinal(plain, 0, plain.length, sealed, 0);
      dec.init(Cipher.DECRYPT_MODE, spec, new GCMParameterSpec(128, nonce));
      dec.updateAAD(header);
      sink += dec.doFinal(sealed, 0, sealed.length, opened, 0);
    }
    ReedSolomon code = ReedSolomon.create(4, 8);
    int shard = 4096;
    byte[][] shards = new byte[code.totalShards()][shard];
    for (int i = 0; i < code.dataShards(); i++) {
      random.nextBytes(shards[i]);
    }
    boolean[] parityOnly = new boolean[code.totalShards()];
    for (int i = code.dataShards(); i < parityOnly.length; i++) {
      parityOnly[i] = true;
    }
    for (int i = 0; i < codeRounds; i++) {
      code.encode(shards, 0, shard);
      code.reconstructData(shards, parityOnly, 0, shard);
      sink += shards[0][i % shard];
    }
    byte[] leaf = new byte[FragmentMerkle.LEAF_SIZE];
    for (int i = 0; i < hashRounds; i++) {
      leaf[0] = (byte) i;
      sink += FragmentMerkle.root(leaf, 0, leaf.length).hashCode();
    }
    return sink;
  }
}
