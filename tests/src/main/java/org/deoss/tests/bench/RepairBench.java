package org.deoss.tests.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.Wallet;
import org.deoss.core.account.WalletParams;
import org.deoss.core.codec.ReedSolomon;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.Challenge;
import org.deoss.core.ledger.ChallengeProof;
import org.deoss.core.ledger.MinerInfo;
import org.deoss.core.ledger.MinerStatus;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.ProofVerifier;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.SegmentRef;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.pipeline.ProgressListener;
import org.deoss.tests.cluster.LocalCluster;
import org.deoss.transfer.client.StorageClient;
import org.deoss.transfer.miner.store.DiskFragmentStore;
import org.deoss.transfer.miner.store.DiskStoreConfig;
import org.deoss.transfer.miner.store.FragmentReader;
import org.deoss.transfer.node.RemoteLedgerClient;

/**
 * Durability costs on this machine, each beside a baseline measured in the same run. Not part of
 * the tests. Run {@code ./bench-repair [objectMiB] [storeFragments] [parts]} (defaults 256, 64 and
 * {@code proofs,audit,repair}; 1280 store fragments are a miner holding 10 GiB).
 *
 * <ol>
 *   <li><b>Proofs</b>: the size of a 4-fragment answer for 8 MiB fragments, and the time to verify
 *       it (what every node pays per challenge) beside one SHA-256 of 1 KiB.
 *   <li><b>Audit round on a miner</b>: a disk store of {@code storeFragments} fragments of 8 MiB;
 *       one round reads the 4 challenged fragments whole and builds the proofs, beside reading the
 *       same 32 MiB and hashing it with plain SHA-256. The work depends on the fragments
 *       challenged, not on how much the miner holds: a miner with 10 GiB pays the same per round
 *       (its page cache just hits less often; the figure with a warm cache is the CPU part).
 *   <li><b>Repair</b>: a node and 12 miners as processes, {@code objectMiB} written by an
 *       in-process client (32 MiB segments, RS 4+8); one miner is killed and the repair service
 *       ({@code deoss repair}, no rate limit to speak of) rebuilds its fragments onto others. MB/s
 *       rebuilt is the bytes of rebuilt fragments over the time from the first repair order to the
 *       last completed. Baselines: the client's put of the same data, and Reed-Solomon
 *       reconstruction in memory.
 * </ol>
 */
public final class RepairBench {
  private static final int MIB = 1 << 20;
  private static final int FRAGMENT = 8 * MIB;

  private RepairBench() {}

  public static void main(String[] args) throws Exception {
    int objectMiB = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    int storeFragments = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    System.out.printf(
        "machine: %d cores, Java %s%n",
        Runtime.getRuntime().availableProcessors(), Runtime.version());
    String parts = args.length > 2 ? args[2] : "proofs,audit,repair";
    if (parts.contains("proofs")) {
      proofs();
    }
    if (parts.contains("audit")) {
      auditRound(storeFragments);
    }
    if (parts.contains("repair")) {
      repair(objectMiB);
    }
  }

  // ---- 1. proofs

  private static void proofs() {
    SplittableRandom r = new SplittableRandom(1);
    List<byte[]> frags = new ArrayList<>();
    List<Hash256> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byte[] f = new byte[FRAGMENT];
      r.nextBytes(f);
      frags.add(f);
      ids.add(FragmentMerkle.root(f, 0, f.length));
    }
    int leaves = FragmentMerkle.leafCount(FRAGMENT);
    Challenge ch =
        new Challenge(
            1,
            AccountId.of(new byte[32]),
            ids,
            List.of(0, 17, 4000, leaves - 1),
            List.of(leaves, leaves, leaves, leaves),
            1,
            2);
    byte[] proof = ChallengeProof.answer(ch, frags);
    ProofVerifier v = ProofVerifier.merkle();
    byte[] kib = new byte[1024];
    int n = 200_000;
    for (int w = 0; w < 2; w++) {
      long t0 = System.nanoTime();
      boolean all = true;
      for (int i = 0; i < n / 4; i++) {
        all &= v.verify(ch, proof);
      }
      long t1 = System.nanoTime();
      int sink = 0;
      for (int i = 0; i < n; i++) {
        kib[0] = (byte) i;
        sink += Hash256.digest(kib).toBytes()[0];
      }
      long t2 = System.nanoTime();
      if (w == 1) {
        System.out.printf("proof for 4 fragments of 8 MiB:          %,d bytes%n", proof.length);
        System.out.printf(
            "verify one 4-fragment answer:            %8.1f us  (valid: %s)%n",
            (t1 - t0) / 1e3 / (n / 4), all);
        System.out.printf(
            "baseline SHA-256 of 1 KiB:               %8.2f us  (%d)%n",
            (t2 - t1) / 1e3 / n, sink & 1);
      }
    }
  }

  // ---- 2. audit round on a disk store

  private static void auditRound(int storeFragments) throws IOException {
    Path dir = Files.createTempDirectory("deoss-audit-bench");
    try (DiskFragmentStore store =
        DiskFragmentStore.open(
            DiskStoreConfig.of(dir.resolve("store"), (long) (storeFragments + 1) * FRAGMENT))) {
      SplittableRandom r = new SplittableRandom(2);
      List<Hash256> ids = new ArrayList<>();
      byte[] f = new byte[FRAGMENT];
      for (int i = 0; i < storeFragments; i++) {
        r.nextBytes(f);
        Hash256 id = FragmentMerkle.root(f, 0, f.length);
        store.put(id, ByteBuffer.wrap(f)).join();
        ids.add(id);
      }
      int leaves = FragmentMerkle.leafCount(FRAGMENT);
      int rounds = 20;
      long prove = 0;
      long base = 0;
      for (int round = 0; round < rounds + 3; round++) {
        List<Hash256> picked = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          picked.add(ids.get(r.nextInt(ids.size())));
        }
        Challenge ch =
            new Challenge(
                round,
                AccountId.of(new byte[32]),
                picked,
                List.of(r.nextInt(leaves), r.nextInt(leaves), r.nextInt(leaves), r.nextInt(leaves)),
                List.of(leaves, leaves, leaves, leaves),
                1,
                2);
        long t0 = System.nanoTime();
        List<byte[]> data = new ArrayList<>();
        for (Hash256 id : picked) {
          data.add(readAll(store, id));
        }
        byte[] proof = ChallengeProof.answer(ch, data);
        long t1 = System.nanoTime();
        int sink = proof.length;
        for (Hash256 id : picked) {
          sink += Hash256.digest(readAll(store, id)).toBytes()[0];
        }
        long t2 = System.nanoTime();
        if (round >= 3) {
          prove += t1 - t0;
          base += t2 - t1;
        }
        if (sink == 42) {
          System.out.print("");
        }
      }
      System.out.printf(
          "audit round (read 4 x 8 MiB + prove), store of %d MiB: %7.1f ms%n",
          storeFragments * 8, prove / 1e6 / rounds);
      System.out.printf(
          "baseline read 4 x 8 MiB + SHA-256:                      %7.1f ms%n",
          base / 1e6 / rounds);
    } finally {
      deleteTree(dir);
    }
  }

  private static byte[] readAll(DiskFragmentStore store, Hash256 id) {
    try (FragmentReader r = store.openReader(id)) {
      ByteBuffer b = ByteBuffer.allocate((int) r.size());
      r.read(0, b);
      return b.array();
    }
  }

  // ---- 3. repair over processes

  private static void repair(int objectMiB) throws Exception {
    rebuildInMemory();
    Path root = Files.createTempDirectory("deoss-repair-bench");
    AccountKeys user = AccountKeys.generate(new SecureRandom());
    try (LocalCluster cluster =
        new LocalCluster(
            root,
            12,
            List.of("--offline-after", "4s", "--block-interval", "250ms"),
            List.of("--heartbeat", "1s"))) {
      cluster.start();
      try (RemoteLedgerClient ledger =
              RemoteLedgerClient.connect(cluster.nodeUrl(), RemoteLedgerClient.Options.defaults());
          StorageClient client = new StorageClient(user, ledger, PipelineConfig.defaults())) {
        client.prepare("bench", 10, 30);
        byte[] data = new byte[objectMiB * MIB];
        new SplittableRandom(3).nextBytes(data);
        long t0 = System.nanoTime();
        client.put("bench", "big", new ByteArrayInputStream(data), ProgressListener.NONE);
        double putSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            "baseline client put of %d MiB over 12 miners:  %7.1f MB/s%n",
            objectMiB, data.length / 1e6 / putSeconds);
        Path home = root.resolve("repair");
        Files.createDirectories(home);
        Wallet.create(
            home.resolve("wallet.json"),
            user,
            LocalCluster.PASSPHRASE.toCharArray(),
            WalletParams.DEFAULT,
            new SecureRandom());
        ProcessBuilder pb =
            LocalCluster.deoss(
                "512m",
                new String[] {
                  "repair",
                  "--home",
                  home.toString(),
                  "--node",
                  cluster.nodeUrl().toString(),
                  "--rate",
                  "4GiB",
                  "--interval",
                  "200ms",
                  // one killed miner leaves 11 healthy, above the default k+2: repair at once
                  "--repair-at",
                  "n"
                });
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.txt").toFile()));
        Process repair = pb.start();
        try {
          ObjectRecord o = ledger.object(user.id(), "bench", "big").orElseThrow();
          AccountId victim = o.manifest().segments().get(0).fragments().get(0).miner();
          long bytes = 0;
          for (SegmentRef s : o.manifest().segments()) {
            for (FragmentRef f : s.fragments()) {
              bytes += f.miner().equals(victim) ? f.length() : 0;
            }
          }
          int index = -1;
          MinerInfo vi = ledger.miner(victim).orElseThrow();
          for (int i = 0; i < 12; i++) {
            if (Files.readString(cluster.minerHome(i).resolve("miner.addr"))
                .strip()
                .equals(vi.endpoint())) {
              index = i;
            }
          }
          cluster.kill(index);
          while (ledger.repairOrders(0, 1).isEmpty()) {
            Thread.sleep(20);
          }
          long start = System.nanoTime();
          while (!ledger.repairOrders(0, 1).isEmpty()
              || ledger.miner(victim).map(m -> m.fragments() > 0).orElse(false)) {
            Thread.sleep(20);
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          System.out.printf(
              "repair of one killed miner: %.1f MiB of fragments in %.1f s: %7.1f MB/s rebuilt%n",
              bytes / (double) MIB, seconds, bytes / 1e6 / seconds);
          if (ledger.miner(victim).map(MinerInfo::status).orElse(null) != MinerStatus.OFFLINE) {
            System.out.println("(note: the victim is no longer OFFLINE)");
          }
        } finally {
          repair.destroy();
          repair.waitFor(30, TimeUnit.SECONDS);
        }
      }
    } finally {
      deleteTree(root);
    }
  }

  /** Reed-Solomon 4+8 reconstruction of one missing fragment of a 32 MiB segment, in memory. */
  private static void rebuildInMemory() {
    int k = 4;
    int n = 12;
    int len = 32 * MIB / k;
    byte[][] shards = new byte[n][len];
    SplittableRandom r = new SplittableRandom(4);
    for (int i = 0; i < k; i++) {
      r.nextBytes(shards[i]);
    }
    ReedSolomon rs = ReedSolomon.create(k, n - k);
    rs.encode(shards, 0, len);
    boolean[] present = new boolean[n];
    for (int i = 1; i <= k; i++) {
      present[i] = true;
    }
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 6; round++) {
      long t0 = System.nanoTime();
      rs.reconstruct(shards, present, 0, len);
      best = Math.min(best, System.nanoTime() - t0);
    }
    System.out.printf(
        "baseline RS 4+8 rebuild of 8 missing of 12 (8 MiB each), in memory: %7.1f MB/s rebuilt%n",
        8.0 * len / 1e6 / (best / 1e9));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
