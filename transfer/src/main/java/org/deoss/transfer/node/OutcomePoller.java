package org.deoss.transfer.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deoss.transfer.node.RemoteLedgerClient.Reply;

/**
 * Waits for the outcomes of a client's queued transactions with few connections: the waiting
 * submissions are asked about in batches of up to {@link NodeRoutes#MAX_OUTCOMES} hashes by {@code
 * POST /v1/transactions/outcomes?wait=S}, at most {@link #MAX_POLLS} batches at once. Each answer
 * hands the finished ones their outcome and puts the others back in the queue. The queue is guarded
 * by {@code this}; callbacks run on the client's threads.
 */
final class OutcomePoller {
  static final int MAX_POLLS = 8;

  private final RemoteLedgerClient client;
  private final ArrayDeque<Submission> waiting = new ArrayDeque<>();
  private int polls;

  OutcomePoller(RemoteLedgerClient client) {
    this.client = client;
  }

  /** Asks for the outcome of {@code s}, which the node has queued. */
  void await(Submission s) {
    enqueue(s);
    pump();
  }

  /**
   * Queues {@code s} without sending a poll yet: the caller queues the others that arrived with it
   * (a batch) and then calls {@link #pump}, so that one poll asks about them all.
   */
  synchronized void enqueue(Submission s) {
    waiting.add(s);
  }

  /** Sends polls for the queued submissions, as many as {@link #MAX_POLLS} allows. */
  void pump() {
    while (true) {
      List<Submission> batch = new ArrayList<>();
      synchronized (this) {
        if (waiting.isEmpty() || polls >= MAX_POLLS) {
          return;
        }
        while (!waiting.isEmpty() && batch.size() < NodeRoutes.MAX_OUTCOMES) {
          batch.add(waiting.poll());
        }
        polls++;
      }
      send(batch);
    }
  }

  private void send(List<Submission> batch) {
    ObjectNode body = Json.object();
    ArrayNode hashes = body.putArray("hashes");
    batch.forEach(s -> hashes.add(s.hashHex()));
    byte[] bytes;
    try {
      bytes = Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
    client
        .postJsonAsync("/v1/transactions/outcomes?wait=" + client.options().pollSeconds(), bytes)
        .whenComplete(
            (r, e) -> {
              synchronized (this) {
                polls--;
              }
              try {
                dispatch(batch, r, e);
              } finally {
                pump();
              }
            });
  }

  private void dispatch(List<Submission> batch, Reply r, Throwable e) {
    if (e != null) {
      batch.forEach(s -> s.polled(null, e));
      return;
    }
    if (r.status() != 200) {
      RuntimeException f = RemoteLedgerClient.failure(r);
      batch.forEach(s -> s.polled(null, f));
      return;
    }
    Map<String, Reply> outcomes = new HashMap<>();
    try {
      client.rememberBlocks(r.body());
      for (JsonNode o : Json.list(r.body(), "outcomes", n -> n)) {
        outcomes.put(
            Json.text(o, "txHash"), new Reply(Json.intField(o, "status"), Json.field(o, "body")));
      }
    } catch (RuntimeException x) {
      batch.forEach(s -> s.polled(null, x));
      return;
    }
    List<Submission> again = new ArrayList<>();
    for (Submission s : batch) {
      Reply o = outcomes.get(s.hashHex());
      if (o == null) {
        again.add(s);
      } else {
        s.polled(o, null);
      }
    }
    synchronized (this) {
      waiting.addAll(again);
    }
  }
}
