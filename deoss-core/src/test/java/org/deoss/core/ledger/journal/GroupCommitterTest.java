package org.deoss.core.ledger.journal;

import static org.deoss.core.ledger.journal.Records.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.deoss.core.ledger.journal.GroupCommitter.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class GroupCommitterTest {
  private static final ThreadFactory THREADS =
      r -> {
        Thread t = new Thread(r, "test-committer");
        t.setDaemon(true);
        return t;
      };
  private static final GroupCommitOptions OPTIONS = GroupCommitOptions.defaults();

  private final List<GroupCommitter<?, ?>> started = new ArrayList<>();
  private final List<Thread> helpers = new ArrayList<>();

  @AfterEach
  void tearDown() throws InterruptedException {
    for (GroupCommitter<?, ?> c : started) {
      c.close();
    }
    for (Thread t : helpers) {
      t.join();
    }
  }

  /** Accepts every item as one record holding its text; rejects items starting with "bad". */
  private static final class EchoHandler implements BatchHandler<String, String> {
    final List<String> handled = Collections.synchronizedList(new ArrayList<>());
    final AtomicReference<Throwable> failed = new AtomicReference<>();
    final AtomicInteger seals = new AtomicInteger();
    final AtomicInteger committedCalls = new AtomicInteger();
    boolean sealRecord;

    @Override
    public Outcome<String> handle(String item) {
      handled.add(item);
      if (item.startsWith("bad")) {
        throw new IllegalArgumentException("rejected " + item);
      }
      return Outcome.of(item.toUpperCase(java.util.Locale.ROOT), bytes(item));
    }

    @Override
    public List<byte[]> seal(int acceptedItems) {
      seals.incrementAndGet();
      return sealRecord ? List.of(bytes("seal-" + acceptedItems)) : List.of();
    }

    @Override
    public void committed(long lastSequence) {
      committedCalls.incrementAndGet();
    }

    @Override
    public void failed(Throwable cause) {
      failed.set(cause);
    }
  }

  private <T, R> GroupCommitter<T, R> start(
      RecordSink sink, BatchHandler<T, R> handler, GroupCommitOptions options) {
    GroupCommitter<T, R> c = new GroupCommitter<>(sink, handler, options, THREADS);
    started.add(c);
    c.start();
    return c;
  }

  private Thread helper(Runnable r) {
    Thread t = new Thread(r, "test-helper");
    t.setDaemon(true);
    helpers.add(t);
    t.start();
    return t;
  }

  private static Throwable failure(CompletableFuture<?> f) {
    CompletionException e = assertThrows(CompletionException.class, f::join);
    return e.getCause();
  }

  private static void awaitState(GroupCommitter<?, ?> c, State state) {
    while (c.state() != state) {
      Thread.onSpinWait();
    }
  }

  @Test
  void submit_fromManyThreads_commitsEachThreadsItemsInSubmissionOrder() throws Exception {
    GatedSink sink = new GatedSink();
    EchoHandler handler = new EchoHandler();
    GroupCommitter<String, String> c = start(sink, handler, OPTIONS);
    int threads = 8;
    int perThread = 250;
    CountDownLatch go = new CountDownLatch(1);
    List<List<CompletableFuture<String>>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<CompletableFuture<String>> mine = Collections.synchronizedList(new ArrayList<>());
      futures.add(mine);
      int id = t;
      helper(
          () -> {
            try {
              go.await();
            } catch (InterruptedException e) {
              throw new AssertionError(e);
            }
            for (int i = 0; i < perThread; i++) {
              mine.add(c.submit(id + "-" + i));
            }
          });
    }
    go.countDown();
    for (Thread t : helpers) {
      t.join();
    }
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        assertEquals(t + "-" + i, futures.get(t).get(i).join().toLowerCase(java.util.Locale.ROOT));
      }
    }
    List<String> log = sink.durableTexts();
    assertEquals(threads * perThread, log.size());
    assertEquals(handler.handled, log, "log order is handling order");
    Map<String, Integer> lastIndex = new HashMap<>();
    for (String r : log) {
      String[] parts = r.split("-");
      int i = Integer.parseInt(parts[1]);
      assertEquals(lastIndex.getOrDefault(parts[0], -1) + 1, i, "order of thread " + parts[0]);
      lastIndex.put(parts[0], i);
    }
    assertEquals(sink.syncs(), c.batches());
    assertEquals(threads * perThread, c.committedItems());
  }

  @Test
  void submit_overARealLog_isReplayedInCommitOrderAfterReopen(@TempDir Path dir) throws Exception {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    BatchHandler<String, Long> handler =
        item -> {
          order.add(item);
          return BatchHandler.Outcome.of((long) order.size(), bytes(item));
        };
    try (RecordLog log = RecordLog.open(dir, JournalOptions.defaults())) {
      GroupCommitter<String, Long> c = start(log, handler, OPTIONS);
      List<CompletableFuture<Long>> all = Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < 4; t++) {
        int id = t;
        helper(
            () -> {
              for (int i = 0; i < 100; i++) {
                all.add(c.submit(id + "-" + i));
              }
            });
      }
      for (Thread t : helpers) {
        t.join();
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
      c.close();
      assertEquals(log.syncCount(), c.batches());
    }
    try (RecordLog log = RecordLog.open(dir, JournalOptions.defaults())) {
      assertEquals(order, Records.replayText(log, 1));
    }
  }

  @Test
  void submit_whenHandlerRejectsAnItem_failsOnlyThatItem() {
    GatedSink sink = new GatedSink();
    EchoHandler handler = new EchoHandler();
    GroupCommitter<String, String> c = start(sink, handler, OPTIONS);
    CompletableFuture<String> a = c.submit("a");
    CompletableFuture<String> bad = c.submit("bad-1");
    CompletableFuture<String> b = c.submit("b");
    assertEquals("A", a.join());
    assertEquals("B", b.join());
    Throwable cause = failure(bad);
    assertInstanceOf(IllegalArgumentException.class, cause);
    assertEquals("rejected bad-1", cause.getMessage());
    assertEquals(List.of("a", "b"), sink.durableTexts());
    assertEquals(State.RUNNING, c.state());
  }

  @Test
  void batch_whenEveryItemIsRejected_neitherSealsNorSyncs() {
    GatedSink sink = new GatedSink();
    EchoHandler handler = new EchoHandler();
    GroupCommitter<String, String> c = start(sink, handler, OPTIONS);
    failure(c.submit("bad-1"));
    c.close();
    assertEquals(0, sink.syncs());
    assertEquals(0, handler.seals.get());
    assertEquals(0, c.batches());
  }

  @Test
  void batch_whileASyncRuns_queuedItemsShareTheNextSync() {
    CountDownLatch release = new CountDownLatch(1);
    GatedSink sink = new GatedSink(release);
    EchoHandler handler = new EchoHandler();
    handler.sealRecord = true;
    GroupCommitter<String, String> c = start(sink, handler, OPTIONS);
    List<CompletableFuture<String>> all = new ArrayList<>();
    all.add(c.submit("first"));
    awaitLatch(sink.firstSyncEntered);
    for (int i = 0; i < 10; i++) {
      all.add(c.submit("q" + i));
    }
    assertTrue(all.stream().noneMatch(CompletableFuture::isDone), "nothing durable yet");
    release.countDown();
    all.forEach(CompletableFuture::join);
    assertEquals(2, sink.syncs());
    assertEquals(List.of(2, 11), sink.appendSizes());
    assertEquals("seal-1", sink.durableTexts().get(1));
    assertEquals("seal-10", sink.durableTexts().get(12));
    assertEquals(2, handler.committedCalls.get());
    assertEquals(2, c.batches());
  }

  @Test
  void batch_isCappedByItemCount() {
    CountDownLatch release = new CountDownLatch(1);
    GatedSink sink = new GatedSink(release);
    GroupCommitter<String, String> c =
        start(sink, new EchoHandler(), new GroupCommitOptions(100, 4, 1 << 20));
    List<CompletableFuture<String>> all = new ArrayList<>();
    all.add(c.submit("first"));
    awaitLatch(sink.firstSyncEntered);
    for (int i = 0; i < 10; i++) {
      all.add(c.submit("q" + i));
    }
    release.countDown();
    all.forEach(CompletableFuture::join);
    assertEquals(List.of(1, 4, 4, 2), sink.appendSizes());
  }

  @Test
  void batch_isClosedOnceItsRecordsReachTheByteCap() {
    CountDownLatch release = new CountDownLatch(1);
    GatedSink sink = new GatedSink(release);
    GroupCommitter<String, String> c =
        start(sink, new EchoHandler(), new GroupCommitOptions(100, 100, 25));
    List<CompletableFuture<String>> all = new ArrayList<>();
    all.add(c.submit("first"));
    awaitLatch(sink.firstSyncEntered);
    for (int i = 0; i < 10; i++) {
      all.add(c.submit("ten-bytes" + i));
    }
    release.countDown();
    all.forEach(CompletableFuture::join);
    assertEquals(List.of(1, 3, 3, 3, 1), sink.appendSizes());
  }

  @Test
  void sync_whenItFails_failsTheBatchTheQueueAndTheCommitter() {
    CountDownLatch release = new CountDownLatch(1);
    GatedSink sink = new GatedSink(release);
    EchoHandler handler = new EchoHandler();
    GroupCommitter<String, String> c = start(sink, handler, OPTIONS);
    CompletableFuture<String> inBatch = c.submit("first");
    awaitLatch(sink.firstSyncEntered);
    CompletableFuture<String> queued = c.submit("queued");
    IOException diskFull = new IOException("No space left on device");
    sink.failSyncsWith(diskFull);
    release.countDown();
    assertSame(diskFull, failure(inBatch));
    Throwable q = failure(queued);
    assertInstanceOf(IllegalStateException.class, q);
    assertSame(diskFull, q.getCause());
    awaitState(c, State.FAILED);
    Throwable late = failure(c.submit("late"));
    assertInstanceOf(IllegalStateException.class, late);
    assertSame(diskFull, late.getCause());
    assertSame(diskFull, handler.failed.get());
    assertEquals(0, sink.syncs());
    c.close();
    assertEquals(State.FAILED, c.state());
  }

  @Test
  void close_drainsEverythingSubmittedThenRefusesMore() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    GatedSink sink = new GatedSink(release);
    GroupCommitter<String, String> c = start(sink, new EchoHandler(), OPTIONS);
    List<CompletableFuture<String>> all = new ArrayList<>();
    all.add(c.submit("first"));
    awaitLatch(sink.firstSyncEntered);
    for (int i = 0; i < 10; i++) {
      all.add(c.submit("q" + i));
    }
    Thread closer = helper(c::close);
    awaitState(c, State.STOPPING);
    Throwable refused = failure(c.submit("too-late"));
    assertInstanceOf(IllegalStateException.class, refused);
    assertTrue(refused.getMessage().contains("STOPPING"), refused.getMessage());
    release.countDown();
    closer.join();
    assertEquals(State.STOPPED, c.state());
    all.forEach(f -> assertTrue(f.isDone() && !f.isCompletedExceptionally(), f.toString()));
    assertEquals(11, sink.durableTexts().size());
  }

  @Test
  void submit_whenQueueIsFull_blocksUntilThereIsRoom() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    GatedSink sink = new GatedSink(release);
    GroupCommitter<String, String> c =
        start(sink, new EchoHandler(), new GroupCommitOptions(2, 100, 1 << 20));
    CompletableFuture<String> first = c.submit("first");
    awaitLatch(sink.firstSyncEntered);
    c.submit("b");
    c.submit("c");
    AtomicReference<CompletableFuture<String>> blocked = new AtomicReference<>();
    Thread submitter = helper(() -> blocked.set(c.submit("d")));
    while (submitter.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    assertNull(blocked.get(), "submit returned although the queue is full");
    release.countDown();
    submitter.join();
    assertEquals("D", blocked.get().join());
    first.join();
    assertEquals(List.of("first", "b", "c", "d"), sink.durableTexts());
  }

  @Test
  void lifecycle_refusesSubmissionsBeforeStartAndAfterClose() {
    GroupCommitter<String, String> c =
        new GroupCommitter<>(new GatedSink(), new EchoHandler(), OPTIONS, THREADS);
    assertEquals(State.NEW, c.state());
    assertTrue(failure(c.submit("x")).getMessage().contains("NEW"));
    c.close();
    assertEquals(State.STOPPED, c.state());
    assertThrows(IllegalStateException.class, c::start);
  }

  @Test
  void start_twice_isRefused() {
    GroupCommitter<String, String> c = start(new GatedSink(), new EchoHandler(), OPTIONS);
    assertThrows(IllegalStateException.class, c::start);
  }

  @Test
  void options_whenInvalid_nameTheSetting() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new GroupCommitOptions(0, 1, 1));
    assertTrue(e.getMessage().contains("queueCapacity"), e.getMessage());
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
