package org.deoss.transfer.miner.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(30, TimeUnit.SECONDS), "timed out");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Waits (without sleeping) until {@code n} items are queued behind the running batch. */
  private static void awaitQueued(GroupCommit<?> commit, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (commit.queued() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + commit.queued() + " of " + n + " queued");
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void run_whenAlone_runsABatchOfItsOwnItem() {
    List<List<String>> batches = new ArrayList<>();
    GroupCommit<String> commit =
        new GroupCommit<>(8, b -> batches.add(b.stream().map(GroupCommit.Entry::item).toList()));
    commit.run("a");
    commit.run("b");
    assertEquals(List.of(List.of("a"), List.of("b")), batches);
  }

  @Test
  void run_whileABatchRuns_joinsTheNextBatchTogether() {
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    GroupCommit<String> commit =
        new GroupCommit<>(
            8,
            b -> {
              batches.add(b.stream().map(GroupCommit.Entry::item).toList());
              if (b.get(0).item().equals("first")) {
                firstStarted.countDown();
                await(releaseFirst);
              }
            });
    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> commit.run("first"), pool);
    await(firstStarted);
    List<CompletableFuture<Void>> later = new ArrayList<>();
    for (String s : List.of("x", "y", "z")) {
      later.add(CompletableFuture.runAsync(() -> commit.run(s), pool));
    }
    awaitQueued(commit, 3);
    releaseFirst.countDown();
    first.join();
    later.forEach(CompletableFuture::join);
    assertEquals(2, batches.size(), "batches: " + batches);
    assertEquals(List.of("first"), batches.get(0));
    assertEquals(List.of("x", "y", "z"), batches.get(1).stream().sorted().toList());
  }

  @Test
  void run_whenMoreQueuedThanMaxBatch_splitsIntoBatchesOfAtMostMax() {
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    GroupCommit<Integer> commit =
        new GroupCommit<>(
            2,
            b -> {
              sizes.add(b.size());
              if (b.get(0).item() == 0) {
                firstStarted.countDown();
                await(releaseFirst);
              }
            });
    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> commit.run(0), pool);
    await(firstStarted);
    List<CompletableFuture<Void>> later = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      int item = i;
      later.add(CompletableFuture.runAsync(() -> commit.run(item), pool));
    }
    awaitQueued(commit, 5);
    releaseFirst.countDown();
    first.join();
    later.forEach(CompletableFuture::join);
    assertEquals(6, sizes.stream().mapToInt(Integer::intValue).sum());
    assertTrue(sizes.stream().allMatch(n -> n <= 2), "batch sizes " + sizes);
  }

  @Test
  void run_whenTheActionFailsOneItem_throwsForThatItemOnly() {
    IllegalStateException bad = new IllegalStateException("bad item");
    GroupCommit<String> commit =
        new GroupCommit<>(
            8,
            b -> {
              for (GroupCommit.Entry<String> e : b) {
                if (e.item().equals("bad")) {
                  e.fail(bad);
                }
              }
            });
    commit.run("good");
    assertSame(bad, assertThrows(IllegalStateException.class, () -> commit.run("bad")));
  }

  @Test
  void run_whenTheActionThrows_failsEveryItemOfTheBatchAndTheNextBatchRuns() {
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    GroupCommit<String> commit =
        new GroupCommit<>(
            8,
            b -> {
              b.forEach(e -> ran.add(e.item()));
              if (b.get(0).item().equals("first")) {
                firstStarted.countDown();
                await(releaseFirst);
                return;
              }
              if (b.stream().anyMatch(e -> e.item().startsWith("doomed"))) {
                throw new IllegalStateException("disk gone");
              }
            });
    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> commit.run("first"), pool);
    await(firstStarted);
    CompletableFuture<Void> a = CompletableFuture.runAsync(() -> commit.run("doomed-a"), pool);
    CompletableFuture<Void> b = CompletableFuture.runAsync(() -> commit.run("doomed-b"), pool);
    awaitQueued(commit, 2);
    releaseFirst.countDown();
    first.join();
    for (CompletableFuture<Void> f : List.of(a, b)) {
      Throwable t = assertThrows(Exception.class, f::join);
      assertEquals("disk gone", t.getCause().getMessage());
    }
    commit.run("after");
    assertTrue(ran.contains("after"));
  }
}
