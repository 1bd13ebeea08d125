package org.deoss.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.port.LedgerUnavailableException;

/**
 * Sends a replica's verified transactions to the group's leader in batches: one thread takes
 * everything queued (up to {@code maxBatch} transactions or {@link #MAX_REQUEST_BYTES}) as one
 * request, with up to {@code maxInFlight} requests in flight, in order (Ratis's ordered async
 * client). A request's future completes once this replica has applied the block it became ({@code
 * awaitApplied}), so the node's next query sees it. When the queue is full, {@link #submit} blocks
 * (backpressure).
 */
final class BlockSender {
  static final int MAX_REQUEST_BYTES = 16 << 20;
  private static final int QUEUE_CAPACITY = 8192;

  private record Pending(byte[] encoded, CompletableFuture<Receipt> future) {}

  private final RaftClient client;
  private final Function<Long, CompletableFuture<Void>> awaitApplied;
  private final int maxBatch;
  private final int maxInFlight;
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Semaphore inFlight;
  private final Thread thread;
  private volatile boolean closed;

  /**
   * @param awaitApplied completes once this replica has applied the block at the given height
   */
  BlockSender(
      RaftClient client,
      Function<Long, CompletableFuture<Void>> awaitApplied,
      int maxBatch,
      int maxInFlight) {
    this.client = client;
    this.awaitApplied = awaitApplied;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
    this.thread = new Thread(this::loop, "deoss-ratis-sender");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Queues a verified transaction; its receipt or rejection once this replica applied it. */
  CompletableFuture<Receipt> submit(SignedTransaction tx) {
    Pending p = new Pending(tx.encode(), new CompletableFuture<>());
    try {
      queue.put(p);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(e);
    }
    if (closed && queue.remove(p)) {
      p.future().completeExceptionally(new LedgerUnavailableException("ledger is closed"));
    }
    return p.future();
  }

  /** An empty block (time-driven hooks on an idle ledger); completes with its height. */
  CompletableFuture<Long> tick() {
    return send(List.of(), 0).thenApply(LogCodec.Reply::height);
  }

  private void loop() {
    while (true) {
      List<Pending> batch = new ArrayList<>();
      try {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed) {
            return;
          }
          continue;
        }
        batch.add(first);
        long bytes = first.encoded().length;
        while (batch.size() < maxBatch) {
          Pending next = queue.peek();
          if (next == null || bytes + next.encoded().length > MAX_REQUEST_BYTES) {
            break;
          }
          batch.add(queue.poll());
          bytes += next.encoded().length;
        }
        inFlight.acquire();
      } catch (InterruptedException e) {
        fail(batch, new LedgerUnavailableException("ledger is closed"));
        return;
      }
      send(batch.stream().map(Pending::encoded).toList(), batch.size())
          .whenComplete(
              (reply, err) -> {
                inFlight.release();
                if (err != null) {
                  fail(batch, unavailable(err));
                  return;
                }
                for (int i = 0; i < batch.size(); i++) {
                  Object o = reply.outcomes().get(i);
                  if (o instanceof Receipt r) {
                    batch.get(i).future().complete(r);
                  } else {
                    batch.get(i).future().completeExceptionally((LedgerRejection) o);
                  }
                }
              });
    }
  }

  /** Orders {@code txs} through the leader; completes once this replica applied the block. */
  private CompletableFuture<LogCodec.Reply> send(List<byte[]> txs, int expected) {
    Message m = Message.valueOf(ByteString.copyFrom(LogCodec.encodeRawRequest(txs)));
    return client
        .async()
        .send(m)
        .thenCompose(
            (RaftClientReply reply) -> {
              if (!reply.isSuccess()) {
                throw unavailable(reply.getException());
              }
              LogCodec.Reply r =
                  LogCodec.decodeReply(reply.getMessage().getContent().toByteArray());
              if (r.outcomes().size() != expected) {
                throw new IllegalStateException(
                    "leader answered " + r.outcomes().size() + " outcomes for " + expected);
              }
              return awaitApplied.apply(r.height()).thenApply(v -> r);
            });
  }

  private static void fail(List<Pending> batch, RuntimeException e) {
    batch.forEach(p -> p.future().completeExceptionally(e));
  }

  private static RuntimeException unavailable(Throwable cause) {
    Throwable c = cause;
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof LedgerUnavailableException u) {
      return u;
    }
    return new LedgerUnavailableException(
        "the replicated ledger did not take the transactions (no leader reachable?): " + c, c);
  }

  /**
   * Stops taking transactions; sends what is queued and waits up to {@code waitMillis} for the
   * answers; fails what is left. Does not close the Raft client.
   */
  void close(long waitMillis) {
    closed = true;
    try {
      thread.join(waitMillis);
      inFlight.tryAcquire(maxInFlight, waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    fail(left, new LedgerUnavailableException("ledger is closed"));
  }
}
