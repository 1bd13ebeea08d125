package org.deoss.tests.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.MinerInfo;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.pipeline.ProgressListener;
import org.deoss.transfer.client.StorageClient;
import org.deoss.transfer.node.RemoteLedgerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network end to end over real processes on loopback: one ledger node and twelve miners in four
 * zones, an in-process client. Objects of 0 B, 1 B, a segment less one, a segment plus one and 200
 * MiB are stored and read back byte for byte; then a fragment is corrupted on a miner's disk (the
 * read detects it and goes around it), eight of the twelve miners are killed with SIGKILL (the read
 * still returns everything), and finally every process is restarted and everything reads again.
 */
class ClusterTest {
  private static final int MIB = 1 << 20;
  private static final int SEGMENT = 32 * MIB;
  private static final long SEED = 20261124;

  @TempDir Path root;

  @Test
  @Timeout(600)
  void putGet_survivesCorruptionKilledMinersAndRestarts() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    Map<String, byte[]> objects = new LinkedHashMap<>();
    for (int size : new int[] {0, 1, SEGMENT - 1, SEGMENT + 1, 200 * MIB}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      objects.put("obj-" + size, data);
    }
    AccountKeys user = AccountKeys.generate(new SecureRandom());
    try (LocalCluster cluster = new LocalCluster(root, 12)) {
      cluster.start();
      try (RemoteLedgerClient ledger =
              RemoteLedgerClient.connect(cluster.nodeUrl(), RemoteLedgerClient.Options.defaults());
          StorageClient client = new StorageClient(user, ledger, PipelineConfig.defaults())) {
        assertEquals(12, ledger.miners().size(), "every miner registered");
        client.prepare("photos", 10, 30);
        for (Map.Entry<String, byte[]> e : objects.entrySet()) {
          ObjectRecord put =
              client.put(
                  "photos",
                  e.getKey(),
                  new ByteArrayInputStream(e.getValue()),
                  ProgressListener.NONE);
          assertEquals(
              ledger.object(user.id(), "photos", e.getKey()).orElseThrow(),
              put,
              "put returns the ledger's record of " + e.getKey());
        }
        assertAllRead(client, objects, "after put");
        assertSmallPutsTogether(client, ledger, user, random, objects);

        // Corrupt a data fragment of the big object on its miner's disk.
        ObjectRecord big = ledger.object(user.id(), "photos", "obj-" + (200 * MIB)).orElseThrow();
        FragmentRef victim = big.manifest().segments().get(2).fragments().get(1);
        int victimMiner = minerIndex(cluster, ledger, victim.miner());
        flipByte(fragmentFile(cluster.minerHome(victimMiner), victim.hash()), 4321);
        assertAllRead(client, objects, "with a corrupt fragment");

        // SIGKILL eight of the twelve miners, the one with the corrupt fragment among them.
        List<Integer> killed = new ArrayList<>();
        killed.add(victimMiner);
        for (int i = 0; killed.size() < 8; i++) {
          if (i != victimMiner) {
            killed.add(i);
          }
        }
        for (int m : killed) {
          cluster.kill(m);
        }
        assertAllRead(client, objects, "with 8 of 12 miners killed");
      }

      // Restart every process (the node too); the client reconnects and reads everything.
      cluster.stopAll();
      cluster.start();
      try (RemoteLedgerClient ledger =
              RemoteLedgerClient.connect(cluster.nodeUrl(), RemoteLedgerClient.Options.defaults());
          StorageClient client = new StorageClient(user, ledger, PipelineConfig.defaults())) {
        assertEquals(12, ledger.miners().size());
        assertAllRead(client, objects, "after restarting every process");
      }
    }
  }

  /**
   * Many small puts of one client at once (their transactions go in batches and share blocks) and a
   * new version of one of them: each put returns the record the ledger holds; a put into a missing
   * bucket is refused before anything is stored.
   */
  private static void assertSmallPutsTogether(
      StorageClient client,
      RemoteLedgerClient ledger,
      AccountKeys user,
      SplittableRandom random,
      Map<String, byte[]> objects)
      throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<ObjectRecord>> puts = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        byte[] data = new byte[4096 + i];
        random.nextBytes(data);
        String key = "small/" + i;
        objects.put(key, data);
        puts.add(
            pool.submit(
                () ->
                    client.put(
                        "photos", key, new ByteArrayInputStream(data), ProgressListener.NONE)));
      }
      for (java.util.concurrent.Future<ObjectRecord> f : puts) {
        ObjectRecord r = f.get();
        assertEquals(ledger.object(user.id(), "photos", r.key()).orElseThrow(), r, r.key());
      }
    } finally {
      pool.shutdownNow();
    }
    ObjectRecord first = ledger.object(user.id(), "photos", "small/0").orElseThrow();
    byte[] next = new byte[777];
    random.nextBytes(next);
    objects.put("small/0", next);
    ObjectRecord again =
        client.put("photos", "small/0", new ByteArrayInputStream(next), ProgressListener.NONE);
    assertEquals(ledger.object(user.id(), "photos", "small/0").orElseThrow(), again);
    assertEquals(first.createdMillis(), again.createdMillis(), "a new version keeps its creation");
    org.deoss.core.ledger.LedgerRejection r =
        org.junit.jupiter.api.Assertions.assertThrows(
            org.deoss.core.ledger.LedgerRejection.class,
            () ->
                client.put(
                    "no-such-bucket",
                    "k",
                    new ByteArrayInputStream(new byte[1]),
                    ProgressListener.NONE));
    assertEquals(org.deoss.core.ledger.LedgerRejection.Reason.NO_SUCH_BUCKET, r.reason());
  }

  private static void assertAllRead(StorageClient client, Map<String, byte[]> objects, String when)
      throws IOException {
    for (Map.Entry<String, byte[]> e : objects.entrySet()) {
      DigestOut out = new DigestOut();
      client.get("photos", e.getKey(), out, ProgressListener.NONE);
      assertEquals(e.getValue().length, out.count, e.getKey() + " length " + when);
      assertArrayEquals(
          Hash256.digest(e.getValue()).toBytes(), out.digest.digest(), e.getKey() + " " + when);
    }
  }

  private static int minerIndex(LocalCluster cluster, RemoteLedgerClient ledger, AccountId id)
      throws IOException {
    MinerInfo info = ledger.miner(id).orElseThrow();
    for (int i = 0; i < 12; i++) {
      String addr = Files.readString(cluster.minerHome(i).resolve("miner.addr")).strip();
      if (addr.equals(info.endpoint())) {
        return i;
      }
    }
    throw new AssertionError("no local miner at " + info.endpoint());
  }

  private static Path fragmentFile(Path minerHome, Hash256 id) throws IOException {
    try (Stream<Path> files = Files.walk(minerHome)) {
      Optional<Path> f =
          files.filter(p -> p.getFileName().toString().equals(id.toHex())).findFirst();
      assertTrue(f.isPresent(), "fragment " + id + " is on disk under " + minerHome);
      return f.get();
    }
  }

  private static void flipByte(Path file, long offset) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, offset);
      b.flip();
      byte v = b.get(0);
      ch.write(ByteBuffer.wrap(new byte[] {(byte) (v ^ 0x40)}), offset);
      ch.force(true);
    }
  }

  /** Counts and hashes what is written, so 200 MiB is never held twice. */
  private static final class DigestOut extends OutputStream {
    final MessageDigest digest = Hash256.newDigest();
    long count;

    @Override
    public void write(int b) {
      digest.update((byte) b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      digest.update(b, off, len);
      count += len;
    }
  }
}
