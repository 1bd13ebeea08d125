package org.deoss.transfer.node;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.port.LedgerUnavailableException;
import org.deoss.transfer.node.RemoteLedgerClient.Reply;

/**
 * One transaction on its way through {@link RemoteLedgerClient}: post, then long-poll the outcome,
 * and after a connection failure the recovery described on the client. Every step is a callback on
 * the client's threads; {@link #result()} completes exactly once.
 *
 * <pre>
 *   POST --202--> POLL --200/4xx--> done
 *     |             |--202--> POLL
 *     |             '--404 or connection failure--> RECOVER
 *     '--connection failure--> RECOVER
 *   RECOVER: GET by hash --known--> POLL
 *            '--404--> nonce: below tx --> RECOVER later; equal --> POST; above --> unavailable
 *            connection failure --> RECOVER later (until the window ends --> unavailable)
 * </pre>
 */
final class Submission {
  private final SignedTransaction tx;
  private final byte[] encoded;
  private final Hash256 hash;
  private final RemoteLedgerClient client;
  private final CompletableFuture<Receipt> result = new CompletableFuture<>();
  private final CompletableFuture<Void> settled = new CompletableFuture<>();
  private long recoverUntil = -1;
  private int nonceRetries;
  private long backoff;

  /** True while the answer of a batch is handed out: a pending one waits for one shared poll. */
  private boolean inBatch;

  Submission(SignedTransaction tx, RemoteLedgerClient client) {
    this.tx = tx;
    this.encoded = tx.encode();
    this.hash = Hash256.digest(encoded);
    this.client = client;
  }

  /** Length of the transaction's encoding. */
  int encodedLength() {
    return encoded.length;
  }

  /**
   * Posts several submissions of one signer in one request ({@code POST /v1/transactions/batch}),
   * in nonce order; each then goes on as if posted alone (its outcome, or polling, or recovery
   * after a connection failure). A node without the batch route gets them one by one. Completes
   * once every one is settled.
   */
  static CompletableFuture<Void> postBatch(
      java.util.List<Submission> batch, RemoteLedgerClient client) {
    if (!client.batchRoute()) {
      return postOneByOne(batch, 0);
    }
    int size = 4;
    for (Submission s : batch) {
      size += 4 + s.encoded.length;
    }
    java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(size);
    body.putInt(batch.size());
    for (Submission s : batch) {
      body.putInt(s.encoded.length).put(s.encoded);
    }
    CompletableFuture<Void> all = new CompletableFuture<>();
    client
        .postBatchAsync(body.array())
        .whenComplete(
            (r, e) -> {
              if (e == null
                  && r.status() == 404
                  && r.error().equals(HttpError.Code.NO_ROUTE.name())) {
                client.noBatchRoute();
                postOneByOne(batch, 0).whenComplete((x, y) -> all.complete(null));
                return;
              }
              dispatchBatch(batch, client, r, e);
              CompletableFuture.allOf(
                      batch.stream().map(s -> s.settled).toArray(CompletableFuture[]::new))
                  .whenComplete((x, y) -> all.complete(null));
            });
    return all;
  }

  private static CompletableFuture<Void> postOneByOne(java.util.List<Submission> batch, int from) {
    if (from == batch.size()) {
      return CompletableFuture.completedFuture(null);
    }
    return batch.get(from).post().thenCompose(x -> postOneByOne(batch, from + 1));
  }

  /** Hands each submission of a batch its outcome, or the batch's failure. */
  private static void dispatchBatch(
      java.util.List<Submission> batch, RemoteLedgerClient client, Reply r, Throwable e) {
    if (e != null || r.status() != 200) {
      batch.forEach(s -> s.polled(r, e));
      return;
    }
    java.util.List<com.fasterxml.jackson.databind.JsonNode> outcomes;
    try {
      outcomes = Json.list(r.body(), "outcomes", n -> n);
      client.rememberBlocks(r.body());
      if (outcomes.size() != batch.size()) {
        throw new IllegalArgumentException(
            "batch of " + batch.size() + " answered with " + outcomes.size() + " outcomes");
      }
    } catch (RuntimeException x) {
      batch.forEach(s -> s.done(null, x));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      Submission s = batch.get(i);
      com.fasterxml.jackson.databind.JsonNode o = outcomes.get(i);
      s.inBatch = true;
      try {
        if (!Json.text(o, "txHash").equals(s.hashHex())) {
          throw new IllegalArgumentException(
              "outcome " + i + " of the batch names transaction " + Json.text(o, "txHash"));
        }
        s.polled(new Reply(Json.intField(o, "status"), Json.field(o, "body")), null);
      } catch (RuntimeException x) {
        s.done(null, x);
      } finally {
        s.inBatch = false;
      }
    }
    client.poller().pump();
  }

  CompletableFuture<Receipt> result() {
    return result;
  }

  long nonce() {
    return tx.nonce();
  }

  /**
   * Posts the transaction; the returned future completes once it is settled: queued by a node or
   * resolved (after any recovery), so that the signer's next post may go.
   */
  CompletableFuture<Void> post() {
    send();
    return settled;
  }

  private void send() {
    client.postAsync(encoded).whenComplete((r, e) -> step(r, e, this::onAnswer));
  }

  /**
   * Runs {@code next} on an answer, or recovers from a failed request; anything thrown (an answer
   * not understood) ends the submission rather than leaving it hanging.
   */
  private void step(Reply r, Throwable e, java.util.function.Consumer<Reply> next) {
    try {
      if (e != null) {
        recover(e);
      } else {
        next.accept(r);
      }
    } catch (RuntimeException x) {
      done(null, x);
    }
  }

  /** Outcome, pending, or the node's failure of a post or a poll. */
  private void onAnswer(Reply r) {
    if (r.status() == 200) {
      done(Json.receipt(r.body()), null);
    } else if (r.status() == 202) {
      settled.complete(null);
      poll();
    } else if (r.status() == 404 && r.error().equals(HttpError.Code.NOT_FOUND.name())) {
      recover(new IOException("node does not know transaction " + hash.toHex()));
    } else {
      RuntimeException f = RemoteLedgerClient.failure(r);
      if (f instanceof LedgerRejection rej && rej.reason() == LedgerRejection.Reason.BAD_NONCE) {
        afterBadNonce(rej);
      } else {
        done(null, f);
      }
    }
  }

  /**
   * BAD_NONCE may be a gap left by an earlier transaction of the signer that is still on its way
   * (re-posted after a node restart): once the earlier ones are resolved, a nonce that now matches
   * is posted again; otherwise the rejection stands.
   */
  private void afterBadNonce(LedgerRejection rejection) {
    client
        .earlierResolved(tx)
        .thenCompose(
            x ->
                client.getAsync(
                    "/v1/accounts/" + tx.signer().address() + "/nonce",
                    client.options().requestTimeout()))
        .whenComplete(
            (r, e) -> {
              try {
                if (e == null
                    && r.status() == 200
                    && Json.longField(r.body(), "nonce") == tx.nonce()
                    && ++nonceRetries <= 3) {
                  send();
                  return;
                }
              } catch (RuntimeException x) {
                // an answer not understood: the rejection stands
              }
              done(null, rejection);
            });
  }

  private void poll() {
    if (inBatch) {
      client.poller().enqueue(this);
    } else {
      client.poller().await(this);
    }
  }

  /** The outcome {@link OutcomePoller} learnt, or the failure of its request. */
  void polled(Reply r, Throwable e) {
    step(r, e, this::onAnswer);
  }

  String hashHex() {
    return hash.toHex();
  }

  private void recover(Throwable failure) {
    Throwable e = RemoteLedgerClient.cause(failure);
    if (!(e instanceof IOException)) {
      done(null, e);
      return;
    }
    long now = System.nanoTime();
    if (recoverUntil < 0) {
      recoverUntil = now + client.options().recoveryWindow().toNanos();
      backoff = client.options().retryBackoff().toMillis();
    }
    if (now - recoverUntil >= 0) {
      done(
          null,
          new LedgerUnavailableException(
              "lost the ledger node "
                  + client.base()
                  + " with transaction #"
                  + tx.nonce()
                  + " of "
                  + tx.signer()
                  + " in flight; it may or may not be applied: "
                  + e.getMessage(),
              e));
      return;
    }
    long pause = backoff;
    backoff = Math.min(1000, backoff * 2);
    client.later(pause, this::lookUp);
  }

  /** After a failure: does the node know the transaction? */
  private void lookUp() {
    Duration timeout = client.options().requestTimeout();
    client
        .getAsync("/v1/transactions/" + hash.toHex(), timeout)
        .whenComplete(
            (r, e) ->
                step(
                    r,
                    e,
                    a -> {
                      if (a.status() == 404 && a.error().equals(HttpError.Code.NOT_FOUND.name())) {
                        checkNonce();
                      } else {
                        onAnswer(a);
                      }
                    }));
  }

  /** The node does not know it (it restarted): the signer's nonce tells what to do. */
  private void checkNonce() {
    client
        .getAsync(
            "/v1/accounts/" + tx.signer().address() + "/nonce", client.options().requestTimeout())
        .whenComplete((r, e) -> step(r, e, this::onNonce));
  }

  private void onNonce(Reply r) {
    if (r.status() != 200) {
      done(null, RemoteLedgerClient.failure(r));
      return;
    }
    long next = Json.longField(r.body(), "nonce");
    if (next == tx.nonce()) {
      send();
    } else if (next < tx.nonce()) {
      // An earlier transaction of the signer is not in yet (it may be recovering too).
      recover(new IOException("waiting for nonce " + next + " of " + tx.signer()));
    } else {
      done(
          null,
          new LedgerUnavailableException(
              "ledger node "
                  + client.base()
                  + " restarted and does not know transaction "
                  + hash.toHex()
                  + "; nonce "
                  + tx.nonce()
                  + " of "
                  + tx.signer()
                  + " is used, so it may or may not be applied"));
    }
  }

  private void done(Receipt r, Throwable e) {
    settled.complete(null);
    if (e == null) {
      client.acknowledged(r.blockHeight());
      result.complete(r);
    } else if (e instanceof LedgerRejection || e instanceof LedgerUnavailableException) {
      result.completeExceptionally(e);
    } else {
      result.completeExceptionally(
          new LedgerUnavailableException("ledger node answer not understood: " + e, e));
    }
  }
}
