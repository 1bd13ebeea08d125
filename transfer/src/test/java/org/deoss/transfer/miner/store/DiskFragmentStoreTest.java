package org.deoss.transfer.miner.store;

import static org.deoss.transfer.miner.store.StoreFixtures.await;
import static org.deoss.transfer.miner.store.StoreFixtures.bytes;
import static org.deoss.transfer.miner.store.StoreFixtures.dataFiles;
import static org.deoss.transfer.miner.store.StoreFixtures.fails;
import static org.deoss.transfer.miner.store.StoreFixtures.failure;
import static org.deoss.transfer.miner.store.StoreFixtures.getAll;
import static org.deoss.transfer.miner.store.StoreFixtures.idOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFragmentStoreTest {
  private static final long SEED = 20261124L;
  private static final long CAPACITY = 4L << 20;

  @TempDir Path dir;
  private Path root;
  private DiskFragmentStore store;
  private final SplittableRandom random = new SplittableRandom(SEED);

  @BeforeEach
  void open() throws IOException {
    root = dir.resolve("data");
    store = DiskFragmentStore.open(DiskStoreConfig.of(root, CAPACITY));
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  private DiskFragmentStore reopen(StartupCheck check) throws IOException {
    store.close();
    store = DiskFragmentStore.open(DiskStoreConfig.of(root, CAPACITY).withStartupCheck(check));
    return store;
  }

  private Hash256 putRandom(int n) throws Exception {
    byte[] data = bytes(random, n);
    Hash256 id = idOf(data);
    await(store.put(id, ByteBuffer.wrap(data)));
    return id;
  }

  // ------------------------------------------------------------ layout and streaming

  @Test
  void put_storesFileNamedByIdInFanOutDirectories() throws Exception {
    byte[] data = bytes(random, 3000);
    Hash256 id = idOf(data);
    await(store.put(id, ByteBuffer.wrap(data)));
    String hex = id.toHex();
    Path expected =
        root.resolve("fragments")
            .resolve(hex.substring(0, 2))
            .resolve(hex.substring(2, 4))
            .resolve(hex);
    assertEquals(List.of(expected), dataFiles(root));
    assertArrayEquals(data, Files.readAllBytes(expected));
  }

  @Test
  void streamedPut_inManyChunks_equalsOneShot() throws Exception {
    byte[] data = bytes(random, 200_000 + random.nextInt(5000));
    Hash256 id = idOf(data);
    try (DiskFragmentStore oneShot =
        DiskFragmentStore.open(DiskStoreConfig.of(dir.resolve("one"), CAPACITY))) {
      await(oneShot.put(id, ByteBuffer.wrap(data)));
      try (PutSession s = store.begin(id, data.length)) {
        int at = 0;
        while (at < data.length) {
          int n = Math.min(data.length - at, 1 + random.nextInt(4000));
          ByteBuffer chunk;
          if (random.nextBoolean()) {
            chunk = ByteBuffer.allocateDirect(n).put(data, at, n).flip();
          } else {
            chunk = ByteBuffer.wrap(data, at, n);
          }
          s.write(chunk);
          assertFalse(chunk.hasRemaining(), "write consumes its buffer");
          at += n;
        }
        assertEquals(data.length, s.written());
        s.commit();
      }
      assertArrayEquals(getAll(oneShot, id), getAll(store, id), "seed " + SEED);
      assertEquals(await(oneShot.stats()), await(store.stats()));
    }
  }

  @Test
  void commit_whenIdMismatch_failsWithHashMismatchAndLeavesNoFileAnywhere() throws Exception {
    byte[] data = bytes(random, 50_000);
    Hash256 wrong = idOf(bytes(random, 50_000));
    PutSession s = store.begin(wrong, data.length);
    s.write(ByteBuffer.wrap(data, 0, 20_000));
    assertEquals(1, dataFiles(root).size(), "the temp file while the put runs");
    s.write(ByteBuffer.wrap(data, 20_000, 30_000));
    FragmentStoreException e = fails(Reason.HASH_MISMATCH, s::commit);
    assertEquals(wrong, e.fragment());
    assertEquals(List.of(), dataFiles(root));
    assertFalse(await(store.has(wrong)));
    assertReservationsReleased();
  }

  @Test
  void abort_leavesNothingAndReleasesCapacity() throws Exception {
    byte[] data = bytes(random, 10_000);
    Hash256 id = idOf(data);
    PutSession s = store.begin(id, data.length);
    s.write(ByteBuffer.wrap(data, 0, 5000));
    s.abort();
    s.abort();
    assertThrows(IllegalStateException.class, () -> s.write(ByteBuffer.wrap(data)));
    assertEquals(List.of(), dataFiles(root));
    assertFalse(await(store.has(id)));
    assertReservationsReleased();
  }

  @Test
  void write_pastDeclaredLength_failsWithProtocolAndLeavesNothing() throws Exception {
    byte[] data = bytes(random, 2000);
    PutSession s = store.begin(idOf(data), 1000);
    s.write(ByteBuffer.wrap(data, 0, 600));
    FragmentStoreException e = fails(Reason.PROTOCOL, () -> s.write(ByteBuffer.wrap(data, 0, 600)));
    assertTrue(e.getMessage().contains("1200 of 1000"), e.getMessage());
    assertEquals(List.of(), dataFiles(root));
    assertReservationsReleased();
  }

  @Test
  void commit_whenShorterThanDeclared_failsWithProtocolAndLeavesNothing() throws Exception {
    byte[] data = bytes(random, 1000);
    PutSession s = store.begin(idOf(data), 1001);
    s.write(ByteBuffer.wrap(data));
    fails(Reason.PROTOCOL, s::commit);
    assertEquals(List.of(), dataFiles(root));
    assertReservationsReleased();
  }

  @Test
  void put_whenFragmentAlreadyHeldButBytesWrong_failsWithHashMismatch() throws Exception {
    byte[] data = bytes(random, 4000);
    Hash256 id = idOf(data);
    await(store.put(id, ByteBuffer.wrap(data)));
    byte[] other = data.clone();
    other[17] ^= 1;
    assertEquals(Reason.HASH_MISMATCH, failure(store.put(id, ByteBuffer.wrap(other))).reason());
    assertArrayEquals(data, getAll(store, id));
  }

  @Test
  void concurrentPuts_ofSameFragment_allSucceedAndStoreOneCopy() throws Exception {
    byte[] data = bytes(random, 300_000);
    Hash256 id = idOf(data);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<Void>> puts = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        puts.add(
            CompletableFuture.runAsync(
                () -> {
                  try (PutSession s = store.begin(id, data.length)) {
                    for (int at = 0; at < data.length; at += 65_536) {
                      s.write(ByteBuffer.wrap(data, at, Math.min(65_536, data.length - at)));
                    }
                    s.commit();
                  }
                },
                pool));
      }
      CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get();
    } finally {
      pool.shutdownNow();
    }
    assertEquals(new FragmentStore.Stats(1, data.length, CAPACITY), await(store.stats()));
    assertEquals(1, dataFiles(root).size());
    assertArrayEquals(data, getAll(store, id));
    assertReservationsReleased();
  }

  // ------------------------------------------------------------ capacity and a full disk

  @Test
  void begin_beyondCapacity_failsBeforeCreatingAnyFile() throws Exception {
    putRandom(3 << 20);
    byte[] data = bytes(random, (1 << 20) + 1);
    FragmentStoreException e =
        fails(Reason.CAPACITY_EXCEEDED, () -> store.begin(idOf(data), data.length));
    assertTrue(e.getMessage().contains(root.toString()), e.getMessage());
    assertEquals(1, dataFiles(root).size());
    PutSession open = store.begin(idOf(bytes(random, 10)), 1 << 20);
    fails(Reason.CAPACITY_EXCEEDED, () -> store.begin(idOf(bytes(random, 11)), 1));
    open.abort();
    store.begin(idOf(bytes(random, 11)), 1).abort();
  }

  @Test
  void put_whenDiskFills_failsWithCapacityExceededNamingPathAndLeavesNothing() throws Exception {
    store.close();
    store =
        DiskFragmentStore.open(
            DiskStoreConfig.of(root, CAPACITY),
            (temp, position, length) -> {
              if (position + length > 100_000) {
                throw new IOException("No space left on device");
              }
            });
    byte[] data = bytes(random, 150_000);
    Hash256 id = idOf(data);
    PutSession s = store.begin(id, data.length);
    s.write(ByteBuffer.wrap(data, 0, 65_536));
    FragmentStoreException e =
        fails(Reason.CAPACITY_EXCEEDED, () -> s.write(ByteBuffer.wrap(data, 65_536, 65_536)));
    assertEquals(id, e.fragment());
    assertTrue(
        e.getMessage().contains("disk full") && e.getMessage().contains("tmp"), e.getMessage());
    assertEquals(List.of(), dataFiles(root));
    assertReservationsReleased();
    assertThrows(IllegalStateException.class, s::commit);
  }

  @Test
  void put_whenWriteFailsOtherwise_failsWithIoAndLeavesNothing() throws Exception {
    store.close();
    store =
        DiskFragmentStore.open(
            DiskStoreConfig.of(root, CAPACITY),
            (temp, position, length) -> {
              throw new IOException("Input/output error");
            });
    byte[] data = bytes(random, 5000);
    FragmentStoreException e = failure(store.put(idOf(data), ByteBuffer.wrap(data)));
    assertEquals(Reason.IO, e.reason());
    assertTrue(e.getMessage().contains("Input/output error"), e.getMessage());
    assertEquals(List.of(), dataFiles(root));
  }

  /** Every reservation was returned: the whole free capacity can be reserved again. */
  private void assertReservationsReleased() throws Exception {
    FragmentStore.Stats stats = await(store.stats());
    store.begin(Hash256.ZERO, stats.capacityBytes() - stats.usedBytes()).abort();
  }

  // ------------------------------------------------------------ reads

  @Test
  void rangedReads_returnExactlyTheRange_property() throws Exception {
    byte[] data = bytes(random, 70_000);
    Hash256 id = idOf(data);
    await(store.put(id, ByteBuffer.wrap(data)));
    for (int i = 0; i < 200; i++) {
      int off = random.nextInt(data.length + 1);
      int len = random.nextInt(data.length - off + 1);
      String why = "seed " + SEED + " case " + i + " range " + off + "+" + len;
      byte[] expected = java.util.Arrays.copyOfRange(data, off, off + len);
      ByteBuffer viaGet = await(store.get(id, off, len));
      byte[] got = new byte[viaGet.remaining()];
      viaGet.get(got);
      assertArrayEquals(expected, got, why);
      ByteBuffer direct = ByteBuffer.allocateDirect(len);
      store.read(id, off, direct);
      direct.flip();
      byte[] got2 = new byte[direct.remaining()];
      direct.get(got2);
      assertArrayEquals(expected, got2, why);
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      store.transferTo(id, off, len, Channels.newChannel(sink));
      assertArrayEquals(expected, sink.toByteArray(), why);
    }
  }

  @Test
  void reads_outsideFragment_failWithBadRangeNamingPath() throws Exception {
    Hash256 id = putRandom(1000);
    FragmentStoreException e =
        fails(Reason.BAD_RANGE, () -> store.read(id, 900, ByteBuffer.allocate(101)));
    assertTrue(e.getMessage().contains(id.toHex()), e.getMessage());
    fails(
        Reason.BAD_RANGE,
        () -> store.transferTo(id, 1001, 0, Channels.newChannel(new ByteArrayOutputStream())));
    assertEquals(Reason.BAD_RANGE, failure(store.get(id, 0, -1)).reason());
    assertEquals(Reason.BAD_RANGE, failure(store.get(id, Long.MAX_VALUE, 1)).reason());
    fails(Reason.NOT_FOUND, () -> store.openReader(Hash256.ZERO));
  }

  @Test
  void reader_sharedByThreads_andSurvivesDelete() throws Exception {
    byte[] data = bytes(random, 100_000);
    Hash256 id = idOf(data);
    await(store.put(id, ByteBuffer.wrap(data)));
    try (FragmentReader r = store.openReader(id)) {
      assertTrue(store.deleteFragment(id));
      assertFalse(await(store.has(id)));
      List<CompletableFuture<byte[]>> reads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int off = t * 10_000;
        reads.add(
            CompletableFuture.supplyAsync(
                () -> {
                  ByteBuffer b = ByteBuffer.allocate(20_000);
                  r.read(off, b);
                  return b.array();
                }));
      }
      for (int t = 0; t < 8; t++) {
        assertArrayEquals(
            java.util.Arrays.copyOfRange(data, t * 10_000, t * 10_000 + 20_000),
            reads.get(t).get());
      }
    }
  }

  @Test
  void prove_answersAnAuditThatVerifiesAgainstTheId() throws Exception {
    Hash256 id = putRandom(10 * 1024 + 5);
    for (int leaf : new int[] {0, 3, 10}) {
      FragmentMerkle.Proof proof = store.prove(id, leaf);
      assertTrue(proof.verify(id), "leaf " + leaf);
    }
    fails(Reason.BAD_RANGE, () -> store.prove(id, 11));
  }

  // ------------------------------------------------------------ restart

  @Test
  void reopen_findsEveryFragmentWithSameStatsAndBytes() throws Exception {
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      byte[] data = bytes(random, random.nextInt(60_000));
      all.add(data);
      await(store.put(idOf(data), ByteBuffer.wrap(data)));
    }
    FragmentStore.Stats before = await(store.stats());
    reopen(StartupCheck.VERIFY);
    assertEquals(before, await(store.stats()));
    OpenReport report = store.openReport();
    assertEquals(new OpenReport(before.fragments(), before.usedBytes(), 0, 0, 0), report);
    for (byte[] data : all) {
      assertArrayEquals(data, getAll(store, idOf(data)), "seed " + SEED);
    }
  }

  @Test
  void open_removesLeftoverTempFiles() throws Exception {
    byte[] data = bytes(random, 5000);
    PutSession unfinished = store.begin(idOf(data), data.length);
    unfinished.write(ByteBuffer.wrap(data, 0, 3000));
    Files.write(root.resolve("tmp").resolve("stray.tmp"), new byte[10]);
    Hash256 kept = putRandom(1234);
    reopen(StartupCheck.SCAN);
    assertEquals(2, store.openReport().tempFilesRemoved());
    assertEquals(List.of(), Files.list(root.resolve("tmp")).toList());
    assertEquals(1, store.openReport().fragments());
    assertTrue(await(store.has(kept)));
    unfinished.write(ByteBuffer.wrap(data, 3000, 2000));
    assertThrows(FragmentStoreException.class, unfinished::commit, "a put of a closed store");
    assertFalse(await(store.has(idOf(data))));
    assertEquals(1, dataFiles(root).size());
  }

  @Test
  void openWithVerify_quarantinesFragmentCorruptedOnDisk_thenNotFound() throws Exception {
    Hash256 good = putRandom(8000);
    Hash256 bad = putRandom(9000);
    Path badFile = dataFiles(root).stream().filter(p -> p.endsWith(bad.toHex())).findFirst().get();
    byte[] onDisk = Files.readAllBytes(badFile);
    onDisk[4321] ^= 0x01;
    Files.write(badFile, onDisk);

    reopen(StartupCheck.VERIFY);

    assertEquals(new OpenReport(1, 8000, 1, 0, 0), store.openReport());
    assertEquals(Reason.NOT_FOUND, failure(store.get(bad)).reason());
    assertTrue(await(store.has(good)));
    List<Path> quarantined = Files.list(root.resolve("quarantine")).toList();
    assertEquals(1, quarantined.size());
    assertTrue(quarantined.get(0).getFileName().toString().startsWith(bad.toHex()));
    assertArrayEquals(onDisk, Files.readAllBytes(quarantined.get(0)));
    assertEquals(new FragmentStore.Stats(1, 8000, CAPACITY), await(store.stats()));
  }

  @Test
  void verifyFragment_quarantinesOnlyADamagedFragment() throws Exception {
    Hash256 good = putRandom(5000);
    Hash256 bad = putRandom(6000);
    Path badFile = dataFiles(root).stream().filter(p -> p.endsWith(bad.toHex())).findFirst().get();
    byte[] onDisk = Files.readAllBytes(badFile);
    onDisk[onDisk.length - 1] ^= 0x40;
    Files.write(badFile, onDisk);

    assertTrue(store.verifyFragment(good));
    assertFalse(store.verifyFragment(bad));

    assertEquals(Reason.NOT_FOUND, failure(store.get(bad)).reason());
    fails(Reason.NOT_FOUND, () -> store.verifyFragment(bad));
    assertEquals(new FragmentStore.Stats(1, 5000, CAPACITY), await(store.stats()));
    assertEquals(1, Files.list(root.resolve("quarantine")).count());
    assertReservationsReleased();
  }

  @Test
  void openWithScan_doesNotReadBytes_soCorruptionIsLeftToReaders() throws Exception {
    Hash256 bad = putRandom(3000);
    Path badFile = dataFiles(root).get(0);
    byte[] onDisk = Files.readAllBytes(badFile);
    onDisk[0] ^= 0x01;
    Files.write(badFile, onDisk);
    reopen(StartupCheck.SCAN);
    assertEquals(new OpenReport(1, 3000, 0, 0, 0), store.openReport());
    assertArrayEquals(onDisk, getAll(store, bad));
  }

  @Test
  void open_leavesFilesThatAreNotFragmentsAlone() throws Exception {
    Hash256 id = putRandom(100);
    Path misplaced = root.resolve("fragments").resolve("00").resolve(id.toHex());
    Files.createDirectories(misplaced.getParent());
    Files.write(misplaced, new byte[100]);
    Files.write(root.resolve("fragments").resolve("README"), new byte[3]);
    reopen(StartupCheck.VERIFY);
    assertEquals(new OpenReport(1, 100, 0, 0, 2), store.openReport());
    assertTrue(Files.exists(misplaced));
  }

  @Test
  void open_whenFolderAlreadyOpen_fails() {
    IOException e =
        assertThrows(IOException.class, () -> DiskFragmentStore.open(DiskStoreConfig.of(root, 1)));
    assertTrue(e.getMessage().contains("already open"), e.getMessage());
  }

  @Test
  void open_whenFolderHoldsAnotherFormat_fails() throws Exception {
    store.close();
    Files.writeString(root.resolve("FORMAT"), "something else 9\n");
    IOException e =
        assertThrows(IOException.class, () -> DiskFragmentStore.open(DiskStoreConfig.of(root, 1)));
    assertTrue(e.getMessage().contains("something else 9"), e.getMessage());
    Files.writeString(root.resolve("FORMAT"), "deoss-fragment-store 1\n");
    store = DiskFragmentStore.open(DiskStoreConfig.of(root, CAPACITY));
  }

  @Test
  void closedStore_failsEveryRequestWithUnavailable() throws Exception {
    Hash256 id = putRandom(10);
    store.close();
    assertEquals(Reason.UNAVAILABLE, failure(store.get(id)).reason());
    assertEquals(Reason.UNAVAILABLE, failure(store.stats()).reason());
    assertEquals(Reason.UNAVAILABLE, failure(store.put(id, ByteBuffer.allocate(1))).reason());
    fails(Reason.UNAVAILABLE, () -> store.begin(id, 1));
  }
}
