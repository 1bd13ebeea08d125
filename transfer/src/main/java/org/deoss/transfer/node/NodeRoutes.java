package org.deoss.transfer.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.BlockHeader;
import org.deoss.core.ledger.ChainHead;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.port.LedgerClient;

/**
 * The routes of the ledger node (listed in {@link LedgerNodeServer}). Each route reads a {@link
 * NodeRequest} and answers a {@link NodeResponse}, or throws {@link HttpError} or a ledger
 * exception that {@link NodeHandler} turns into the error body. Runs on the node's executor (the
 * ledger's calls may block); waits are futures, never blocked threads.
 */
final class NodeRoutes {
  /** Most block headers one GET /v1/blocks answers. */
  static final int MAX_BLOCKS_PER_PAGE = 1000;

  /** Most hashes one POST /v1/transactions/outcomes asks about. */
  static final int MAX_OUTCOMES = 1000;

  /** Most transactions one POST /v1/transactions/batch carries. */
  static final int MAX_BATCH = 1000;

  private final LedgerClient ledger;
  private final TxTracker txs;
  private final BlockFeed feed;
  private final long maxWaitMillis;

  NodeRoutes(LedgerClient ledger, TxTracker txs, BlockFeed feed, long maxWaitMillis) {
    this.ledger = ledger;
    this.txs = txs;
    this.feed = feed;
    this.maxWaitMillis = maxWaitMillis;
  }

  CompletableFuture<NodeResponse> route(NodeRequest q) {
    List<String> s = q.segments();
    if (s.size() < 2 || !s.get(0).equals("v1")) {
      throw noRoute(q);
    }
    String top = s.get(1);
    int n = s.size();
    if (top.equals("transactions")) {
      if (n == 2) {
        requireMethod(q, "POST");
        return submit(q);
      }
      if (n == 3 && s.get(2).equals("outcomes")) {
        requireMethod(q, "POST");
        return outcomes(q);
      }
      if (n == 3 && s.get(2).equals("batch")) {
        requireMethod(q, "POST");
        return submitBatch(q);
      }
      if (n == 3) {
        requireMethod(q, "GET");
        return transaction(q, Json.parseHash(s.get(2), "transaction hash"));
      }
      throw noRoute(q);
    }
    requireMethod(q, "GET");
    switch (top) {
      case "network":
        if (n == 2) {
          return ok(Json.object().put("networkId", ledger.networkId()));
        }
        break;
      case "head":
        if (n == 2) {
          return ok(Json.head(ledger.head()));
        }
        break;
      case "blocks":
        if (n == 2) {
          return blocks(q);
        }
        if (n == 3) {
          long h = parseLong(s.get(2), "block height");
          return found(ledger.block(h), Json::header, "no block at height " + h + " is kept");
        }
        break;
      case "accounts":
        if (n >= 3) {
          return account(q, Json.parseAccount(s.get(2), "account"));
        }
        break;
      case "fragments":
        if (n == 3) {
          Hash256 h = Json.parseHash(s.get(2), "fragment hash");
          return ok(Json.object().put("hash", h.toHex()).put("referenced", ledger.isReferenced(h)));
        }
        break;
      case "miners":
        if (n == 2) {
          return ok(wrap("miners", Json.array(ledger.miners(), Json::miner)));
        }
        if (n == 3) {
          AccountId m = Json.parseAccount(s.get(2), "miner");
          return found(ledger.miner(m), Json::miner, "no miner " + m.address());
        }
        break;
      case "challenges":
        if (n == 2) {
          return ok(wrap("challenges", Json.array(ledger.challenges(), Json::challenge)));
        }
        break;
      case "repair-orders":
        if (n == 2) {
          long after = q.longParam("after", 0, 0, Long.MAX_VALUE);
          int limit = (int) q.longParam("limit", 1000, 1, 100_000);
          return ok(
              wrap(
                  "repairOrders",
                  Json.array(ledger.repairOrders(after, limit), Json::repairOrder)));
        }
        break;
      case "objects":
        if (n == 3) {
          ObjectId id = Json.parseObjectId(s.get(2), "object id");
          return found(ledger.objectById(id), Json::objectRecord, "no object " + id.toHex());
        }
        break;
      default:
        break;
    }
    throw noRoute(q);
  }

  private CompletableFuture<NodeResponse> account(NodeRequest q, AccountId a) {
    List<String> s = q.segments();
    int n = s.size();
    if (n == 3) {
      return ok(Json.accountInfo(ledger.account(a)));
    }
    switch (s.get(3)) {
      case "nonce":
        if (n == 4) {
          return ok(Json.object().put("nonce", ledger.nextNonce(a)));
        }
        break;
      case "authorizations":
        if (n == 4) {
          return ok(
              wrap(
                  "authorizations",
                  Json.array(
                      ledger.authorizations(a),
                      o -> Json.MAPPER.getNodeFactory().textNode(o.address()))));
        }
        break;
      case "key":
        if (n == 4) {
          return found(
              ledger.encryptionKey(a),
              k -> Json.object().put("x25519", Json.base64(k)),
              "account " + a + " has announced no encryption key");
        }
        break;
      case "shared":
        if (n == 4) {
          String startAfter = q.param("startAfter", null);
          int limit = (int) q.longParam("limit", 1000, 1, 100_000);
          return ok(Json.listPage(ledger.sharedWith(a, startAfter, limit)));
        }
        break;
      case "buckets":
        if (n == 4) {
          return ok(wrap("buckets", Json.array(ledger.buckets(a), Json::bucket)));
        }
        String bucket = s.get(4);
        if (n == 5) {
          return found(
              ledger.bucket(a, bucket), Json::bucket, "no bucket '" + bucket + "' of " + a);
        }
        if (!s.get(5).equals("objects")) {
          break;
        }
        if (n == 6) {
          String prefix = q.param("prefix", "");
          String delimiter = q.param("delimiter", "");
          String startAfter = q.param("startAfter", null);
          int limit = (int) q.longParam("limit", 1000, 1, 100_000);
          return ok(Json.listPage(ledger.list(a, bucket, prefix, delimiter, startAfter, limit)));
        }
        if (n == 7) {
          String key = s.get(6);
          return found(
              ledger.object(a, bucket, key),
              Json::objectRecord,
              "no object '" + key + "' in bucket '" + bucket + "' of " + a);
        }
        break;
      default:
        break;
    }
    throw noRoute(q);
  }

  // ---- transactions -----------------------------------------------------------------------------

  private CompletableFuture<NodeResponse> submit(NodeRequest q) {
    SignedTransaction tx = decodeTransaction(q);
    boolean wait = parseWait(q);
    TxTracker.Submitted submitted = txs.submit(tx);
    CompletableFuture<Receipt> f = submitted.outcome();
    f.whenComplete((r, e) -> feed.poke());
    if (!wait && !f.isDone() && submitted.tracked()) {
      return CompletableFuture.completedFuture(pending(tx.hash()));
    }
    return f.handle((r, e) -> outcome(r, e));
  }

  /**
   * Several transactions in one request, each taken as by {@code POST /v1/transactions?wait=false}
   * in the order given: the answer lists each one's outcome (202 pending, or its receipt or
   * rejection when already known), in the same order. The body is decoded whole before any
   * transaction is taken, so a malformed body takes none.
   */
  private CompletableFuture<NodeResponse> submitBatch(NodeRequest q) {
    String type = q.contentType() == null ? "" : q.contentType().toLowerCase(java.util.Locale.ROOT);
    if (!type.startsWith("application/octet-stream")) {
      throw HttpError.badRequest(
          "content type must be application/octet-stream, got '" + q.contentType() + "'");
    }
    List<SignedTransaction> batch = decodeBatch(q.body());
    ObjectNode page = Json.object();
    var list = page.putArray("outcomes");
    java.util.Set<Long> heights = new java.util.TreeSet<>();
    List<TxTracker.Submitted> taken = txs.submitAll(batch);
    for (int i = 0; i < batch.size(); i++) {
      SignedTransaction tx = batch.get(i);
      TxTracker.Submitted submitted = taken.get(i);
      CompletableFuture<Receipt> f = submitted.outcome();
      f.whenComplete((r, e) -> feed.poke());
      Hash256 hash = tx.hash();
      NodeResponse r = !f.isDone() && submitted.tracked() ? pending(hash) : outcomeNow(f);
      list.addObject()
          .put("txHash", hash.toHex())
          .put("status", r.status().code())
          .set("body", r.body());
      receiptHeight(f).ifPresent(heights::add);
    }
    addBlocks(page, heights);
    return ok(page);
  }

  /** A batch body: a u32 count, then per transaction a u32 length and its encoding. */
  static List<SignedTransaction> decodeBatch(byte[] body) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(body);
    if (b.remaining() < 4) {
      throw HttpError.badRequest("batch body has " + body.length + " bytes, no count");
    }
    int count = b.getInt();
    if (count < 1 || count > MAX_BATCH) {
      throw HttpError.badRequest(
          "a batch carries 1.."
              + MAX_BATCH
              + " transactions, got "
              + Integer.toUnsignedString(count));
    }
    List<SignedTransaction> txs = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (b.remaining() < 4) {
        throw HttpError.badRequest("batch body ends before the length of transaction " + i);
      }
      int len = b.getInt();
      if (len < 0 || len > b.remaining()) {
        throw HttpError.badRequest(
            "transaction "
                + i
                + " of the batch claims "
                + Integer.toUnsignedString(len)
                + " bytes, "
                + b.remaining()
                + " are left");
      }
      byte[] encoded = new byte[len];
      b.get(encoded);
      try {
        txs.add(SignedTransaction.decode(encoded));
      } catch (RuntimeException e) {
        throw HttpError.badRequest(
            "transaction " + i + " of the batch does not decode: " + e.getMessage());
      }
    }
    if (b.hasRemaining()) {
      throw HttpError.badRequest(
          "batch body has " + b.remaining() + " bytes after its " + count + " transactions");
    }
    return txs;
  }

  private CompletableFuture<NodeResponse> transaction(NodeRequest q, Hash256 hash) {
    long waitMillis = waitMillis(q);
    Optional<CompletableFuture<Receipt>> known = txs.find(hash);
    if (known.isEmpty()) {
      throw HttpError.notFound(
          "transaction "
              + hash.toHex()
              + " is unknown to this node (not taken since it started, nor in its receipt log)");
    }
    CompletableFuture<Receipt> f = known.get();
    if (f.isDone() || waitMillis == 0) {
      return CompletableFuture.completedFuture(f.isDone() ? outcomeNow(f) : pending(hash));
    }
    CompletableFuture<NodeResponse> answer = new CompletableFuture<>();
    f.whenComplete((r, e) -> answer.complete(outcome(r, e)));
    CompletableFuture.delayedExecutor(waitMillis, java.util.concurrent.TimeUnit.MILLISECONDS)
        .execute(() -> answer.complete(pending(hash)));
    return answer;
  }

  /**
   * The outcomes of several transactions: those finished or unknown at once, else the first to
   * finish within the wait (possibly none).
   */
  private CompletableFuture<NodeResponse> outcomes(NodeRequest q) {
    long waitMillis = waitMillis(q);
    JsonNode body = parseJson(q.body());
    List<Hash256> hashes;
    try {
      hashes = Json.list(body, "hashes", e -> Json.parseHash(e.asText(), "hash"));
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    if (hashes.size() > MAX_OUTCOMES) {
      throw HttpError.badRequest(
          "at most " + MAX_OUTCOMES + " hashes per request, got " + hashes.size());
    }
    java.util.Map<Hash256, CompletableFuture<Receipt>> known = new java.util.LinkedHashMap<>();
    List<Hash256> unknown = new java.util.ArrayList<>();
    for (Hash256 h : hashes) {
      Optional<CompletableFuture<Receipt>> f = txs.find(h);
      if (f.isPresent()) {
        known.put(h, f.get());
      } else {
        unknown.add(h);
      }
    }
    boolean anyDone =
        !unknown.isEmpty() || known.values().stream().anyMatch(CompletableFuture::isDone);
    if (anyDone || known.isEmpty() || waitMillis == 0) {
      return CompletableFuture.completedFuture(outcomePage(known, unknown));
    }
    CompletableFuture<NodeResponse> answer = new CompletableFuture<>();
    CompletableFuture.anyOf(known.values().toArray(CompletableFuture[]::new))
        .whenComplete((x, e) -> answer.complete(outcomePage(known, unknown)));
    CompletableFuture.delayedExecutor(waitMillis, java.util.concurrent.TimeUnit.MILLISECONDS)
        .execute(() -> answer.complete(outcomePage(known, unknown)));
    return answer;
  }

  private NodeResponse outcomePage(
      java.util.Map<Hash256, CompletableFuture<Receipt>> known, List<Hash256> unknown) {
    ObjectNode page = Json.object();
    var list = page.putArray("outcomes");
    java.util.Set<Long> heights = new java.util.TreeSet<>();
    known.forEach(
        (h, f) -> {
          if (f.isDone()) {
            NodeResponse r = outcomeNow(f);
            list.addObject()
                .put("txHash", h.toHex())
                .put("status", r.status().code())
                .set("body", r.body());
            receiptHeight(f).ifPresent(heights::add);
          }
        });
    for (Hash256 h : unknown) {
      NodeResponse r =
          NodeHandler.errorResponse(
              HttpError.notFound("transaction " + h.toHex() + " is unknown to this node"), false);
      list.addObject()
          .put("txHash", h.toHex())
          .put("status", r.status().code())
          .set("body", r.body());
    }
    addBlocks(page, heights);
    return new NodeResponse(HttpResponseStatus.OK, page);
  }

  /** The block height of a finished outcome that is a receipt. */
  private static Optional<Long> receiptHeight(CompletableFuture<Receipt> f) {
    if (f.isDone() && !f.isCompletedExceptionally()) {
      return Optional.of(f.join().blockHeight());
    }
    return Optional.empty();
  }

  /**
   * Adds {@code "blocks"}: the headers of the blocks the page's receipts are in (those still kept),
   * so that a client needs no request to learn their time.
   */
  private void addBlocks(ObjectNode page, java.util.Set<Long> heights) {
    var blocks = page.putArray("blocks");
    for (long h : heights) {
      ledger.block(h).ifPresent(b -> blocks.add(Json.header(b)));
    }
  }

  private static NodeResponse outcomeNow(CompletableFuture<Receipt> f) {
    return f.handle(NodeRoutes::outcome).join();
  }

  private static NodeResponse outcome(Receipt r, Throwable e) {
    if (e == null) {
      return new NodeResponse(HttpResponseStatus.OK, Json.receipt(r));
    }
    Throwable c =
        e instanceof java.util.concurrent.CompletionException && e.getCause() != null
            ? e.getCause()
            : e;
    return NodeHandler.errorResponse(c, false);
  }

  private static NodeResponse pending(Hash256 hash) {
    return new NodeResponse(
        HttpResponseStatus.ACCEPTED,
        Json.object().put("txHash", hash.toHex()).put("status", "PENDING"));
  }

  private static SignedTransaction decodeTransaction(NodeRequest q) {
    byte[] encoded;
    String type = q.contentType() == null ? "" : q.contentType().toLowerCase(java.util.Locale.ROOT);
    if (type.startsWith("application/octet-stream")) {
      encoded = q.body();
    } else if (type.startsWith("application/json")) {
      JsonNode body = parseJson(q.body());
      try {
        encoded = Json.bytes(body, "transaction");
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest(e.getMessage());
      }
    } else {
      throw HttpError.badRequest(
          "content type must be application/json or application/octet-stream, got '"
              + q.contentType()
              + "'");
    }
    try {
      return SignedTransaction.decode(encoded);
    } catch (RuntimeException e) {
      throw HttpError.badRequest("transaction does not decode: " + e.getMessage());
    }
  }

  private boolean parseWait(NodeRequest q) {
    String w = q.param("wait", "true");
    return switch (w) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw HttpError.badRequest(
              "query parameter 'wait' must be true or false, got '" + w + "'");
    };
  }

  static JsonNode parseJson(byte[] body) {
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      if (n == null || !n.isObject()) {
        throw HttpError.badRequest("request body must be a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw HttpError.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw HttpError.badRequest("request body is not valid JSON: " + e.getMessage());
    }
  }

  // ---- blocks -----------------------------------------------------------------------------------

  private CompletableFuture<NodeResponse> blocks(NodeRequest q) {
    long after = q.longParam("after", -1, 0, Long.MAX_VALUE);
    if (after < 0) {
      throw HttpError.badRequest("query parameter 'after' (a block height) is required");
    }
    long waitMillis = waitMillis(q);
    int limit = (int) q.longParam("limit", 100, 1, MAX_BLOCKS_PER_PAGE);
    if (waitMillis == 0 || ledger.head().height() > after) {
      return CompletableFuture.completedFuture(blockPage(after, limit));
    }
    return feed.awaitAbove(after, waitMillis).thenApply(x -> blockPage(after, limit));
  }

  private NodeResponse blockPage(long after, int limit) {
    ChainHead head = ledger.head();
    ObjectNode o = Json.object();
    o.set("head", Json.head(head));
    var list = o.putArray("blocks");
    for (long h = after + 1; h <= head.height() && list.size() < limit; h++) {
      Optional<BlockHeader> b = ledger.block(h);
      if (b.isPresent()) {
        list.add(Json.header(b.get()));
      }
    }
    return new NodeResponse(HttpResponseStatus.OK, o);
  }

  private long waitMillis(NodeRequest q) {
    return q.longParam("wait", 0, 0, maxWaitMillis / 1000) * 1000;
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static CompletableFuture<NodeResponse> ok(JsonNode body) {
    return CompletableFuture.completedFuture(new NodeResponse(HttpResponseStatus.OK, body));
  }

  private static <T> CompletableFuture<NodeResponse> found(
      Optional<T> value, Function<T, JsonNode> json, String missing) {
    if (value.isEmpty()) {
      throw HttpError.notFound(missing);
    }
    return ok(json.apply(value.get()));
  }

  private static ObjectNode wrap(String name, JsonNode value) {
    ObjectNode o = Json.object();
    o.set(name, value);
    return o;
  }

  private static long parseLong(String s, String what) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw HttpError.badRequest(what + " must be an integer, got '" + s + "'");
    }
  }

  private static void requireMethod(NodeRequest q, String method) {
    if (!q.method().equals(method)) {
      throw new HttpError(
          HttpResponseStatus.METHOD_NOT_ALLOWED,
          HttpError.Code.METHOD_NOT_ALLOWED,
          q.method() + " " + q.path() + ": only " + method + " is allowed");
    }
  }

  private static HttpError noRoute(NodeRequest q) {
    return new HttpError(
        HttpResponseStatus.NOT_FOUND,
        HttpError.Code.NO_ROUTE,
        "no route " + q.method() + " " + q.path());
  }

  /** The message of a rejection without the "REASON: " prefix its constructor adds. */
  static String rejectionDetail(LedgerRejection r) {
    String m = r.getMessage();
    String prefix = r.reason().name() + ": ";
    return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }
}
