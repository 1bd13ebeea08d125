package org.deoss.transfer.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.AccountInfo;
import org.deoss.core.ledger.BlockHeader;
import org.deoss.core.ledger.BucketInfo;
import org.deoss.core.ledger.ChainHead;
import org.deoss.core.ledger.Challenge;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.MinerInfo;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.RepairOrder;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.LedgerUnavailableException;

/**
 * A {@link LedgerClient} talking to a {@link LedgerNodeServer} over HTTP (the JDK's {@link
 * HttpClient}). Values and exceptions are the core's own: a rejection arrives as a {@link
 * LedgerRejection} with the node's reason and message, an unreachable node as {@link
 * LedgerUnavailableException}.
 *
 * <p><b>Queries</b> are idempotent: a connection failure or timeout is retried {@link
 * Options#queryAttempts()} times with {@link Options#retryBackoff()} between tries, then throws
 * {@link LedgerUnavailableException}.
 *
 * <p><b>Submitting</b> takes two steps, so that one signer's transactions reach the ledger in the
 * order they were submitted and still many are in flight: {@code POST /v1/transactions?wait=false}
 * returns as soon as the node queued the transaction (these posts are chained per signer, each sent
 * once the previous one is settled: queued by a node, or resolved after any recovery; the
 * transactions that queued up behind a post in flight go together in one {@code POST
 * /v1/transactions/batch}, each with its own outcome), then {@link OutcomePoller} long-polls the
 * outcomes of all queued transactions in batches ({@code POST /v1/transactions/outcomes?wait=S}),
 * so a few connections serve thousands in flight. A transaction is identified by its hash and the
 * node joins a repeated post to the first, so retrying is safe.
 *
 * <p><b>Recovery.</b> When the connection fails before an outcome is known (the node died or
 * restarted), the client retries for up to {@link Options#recoveryWindow()}: it asks the node for
 * the transaction by hash; a node that knows it answers its outcome. A restarted node does not, so
 * the client reads the signer's nonce: below the transaction's nonce, an earlier transaction is
 * still missing (it waits for it); equal, the transaction is not in the ledger and is posted again;
 * above, the nonce was used and the client cannot tell by whom, so the future fails with {@link
 * LedgerUnavailableException} ("may or may not be applied", as the port allows). Nonces make a
 * transaction impossible to apply twice whatever happens. When the window passes without a node,
 * the future fails with {@link LedgerUnavailableException}. A {@code BAD_NONCE} answer while an
 * earlier transaction of the same signer from this client is unresolved (typically being posted
 * again after a restart) is checked again once those are resolved: if the signer's nonce now
 * matches, the transaction is posted again (at most 3 times), else the rejection stands.
 *
 * <p><b>Several nodes</b> (a replicated ledger: {@link #connect(List, Options)}, or a {@code
 * --node} value of comma-separated URLs): the client uses one node at a time and moves to the next
 * when a connection to it fails or it answers {@code 503} (it lost its group, or is closing). Every
 * node takes transactions (followers forward them to the leader) and every node knows the receipts
 * the group applied, so a submission in flight on a node that died is found by hash on the next, or
 * posted again there when the signer's nonce shows it is not in. Read-your-writes: the client
 * remembers the highest block of the receipts it was given; before it reads from a node it moved
 * to, it waits (up to {@link #CATCH_UP_WAIT}) until that node has applied that block, and moves on
 * if it does not.
 *
 * <p>Thread-safe. Futures complete on the client's own threads.
 */
public final class RemoteLedgerClient implements LedgerClient {

  /**
   * Settings.
   *
   * @param connectTimeout to open a connection
   * @param requestTimeout for one query answer
   * @param queryAttempts tries of a query before {@link LedgerUnavailableException}
   * @param retryBackoff first pause between tries; doubles up to 1 s
   * @param recoveryWindow how long a submission keeps trying to learn its outcome after the
   *     connection to the node failed
   * @param pollSeconds the {@code wait} of each long-poll for a submission's outcome
   * @param batchedPosts whether a signer's transactions that queue up behind a post in flight go
   *     together in one {@code POST /v1/transactions/batch} (off by default: with a batch queued on
   *     a Raft leader that is then stopped, its transactions were not all recovered on the next
   *     node within the recovery window; see docs/decisions.md §24)
   */
  public record Options(
      Duration connectTimeout,
      Duration requestTimeout,
      int queryAttempts,
      Duration retryBackoff,
      Duration recoveryWindow,
      int pollSeconds,
      boolean batchedPosts) {
    public Options {
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      Objects.requireNonNull(retryBackoff, "retryBackoff");
      Objects.requireNonNull(recoveryWindow, "recoveryWindow");
      if (queryAttempts < 1) {
        throw new IllegalArgumentException(
            "queryAttempts must be at least 1, got " + queryAttempts);
      }
      if (pollSeconds < 1) {
        throw new IllegalArgumentException("pollSeconds must be at least 1, got " + pollSeconds);
      }
      if (requestTimeout.compareTo(Duration.ofSeconds(pollSeconds)) <= 0) {
        throw new IllegalArgumentException(
            "requestTimeout must exceed pollSeconds ("
                + pollSeconds
                + " s), got "
                + requestTimeout);
      }
    }

    /**
     * Connect within 5 s, answers within 35 s, 3 query attempts from 100 ms apart, 30 s to recover
     * a submission, long-polls of 25 s.
     */
    public static Options defaults() {
      return new Options(
          Duration.ofSeconds(5),
          Duration.ofSeconds(35),
          3,
          Duration.ofMillis(100),
          Duration.ofSeconds(30),
          25,
          false);
    }

    /** These options with batched posts on or off. */
    public Options withBatchedPosts(boolean on) {
      return new Options(
          connectTimeout,
          requestTimeout,
          queryAttempts,
          retryBackoff,
          recoveryWindow,
          pollSeconds,
          on);
    }

    public Options withRecoveryWindow(Duration d) {
      return new Options(
          connectTimeout,
          requestTimeout,
          queryAttempts,
          retryBackoff,
          d,
          pollSeconds,
          batchedPosts);
    }

    public Options withQueryAttempts(int n) {
      return new Options(
          connectTimeout,
          requestTimeout,
          n,
          retryBackoff,
          recoveryWindow,
          pollSeconds,
          batchedPosts);
    }
  }

  /** An HTTP answer: status and JSON body. */
  record Reply(int status, JsonNode body) {
    String error() {
      JsonNode e = body.get("error");
      return e == null ? "" : e.asText();
    }

    String message() {
      JsonNode m = body.get("message");
      return m == null ? body.toString() : m.asText();
    }
  }

  /** How long a node the client moved to may take to reach the client's last acknowledged block. */
  static final Duration CATCH_UP_WAIT = Duration.ofSeconds(5);

  private final List<URI> nodes;
  private final AtomicInteger current = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong acknowledgedHeight =
      new java.util.concurrent.atomic.AtomicLong(-1);
  private volatile URI caughtUp;
  private final Options options;
  private final HttpClient http;
  private final ExecutorService executor;
  private final Map<AccountId, SignerQueue> signers = new HashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final OutcomePoller poller = new OutcomePoller(this);
  private volatile String networkId;
  private volatile boolean batchRoute;
  private final Map<Long, BlockHeader> recentBlocks =
      new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, BlockHeader> e) {
          return size() > 256;
        }
      };
  private volatile boolean closed;

  private RemoteLedgerClient(List<URI> nodes, Options options) {
    this.nodes = List.copyOf(nodes);
    this.caughtUp = this.nodes.get(0);
    this.options = options;
    this.batchRoute = options.batchedPosts();
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "deoss-ledger-client-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(options.connectTimeout())
            .executor(executor)
            .build();
  }

  /**
   * A client of the node at {@code base} ({@code http://host:port}), or of several nodes of one
   * replicated ledger when its text is a comma-separated list of such URLs. Does not connect yet:
   * the first call does.
   */
  public static RemoteLedgerClient connect(URI base, Options options) {
    Objects.requireNonNull(base, "base");
    List<URI> list = new java.util.ArrayList<>();
    for (String part : base.toString().split(",")) {
      if (!part.isBlank()) {
        list.add(URI.create(part.strip()));
      }
    }
    return connect(list, options);
  }

  /**
   * A client of the nodes of one replicated ledger, tried in this order (see the class comment).
   * Does not connect yet: the first call does.
   *
   * @throws IllegalArgumentException if the list is empty or a URI is not {@code http://host:port}
   */
  public static RemoteLedgerClient connect(List<URI> nodes, Options options) {
    Objects.requireNonNull(nodes, "nodes");
    Objects.requireNonNull(options, "options");
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("no ledger node URL given");
    }
    List<URI> clean = new java.util.ArrayList<>();
    for (URI base : nodes) {
      if (!"http".equals(base.getScheme()) || base.getHost() == null) {
        throw new IllegalArgumentException("node URI must be http://host:port, got " + base);
      }
      clean.add(URI.create(base.toString().replaceAll("/+$", "")));
    }
    return new RemoteLedgerClient(clean, options);
  }

  /** The nodes this client uses, in order. */
  public List<URI> nodes() {
    return nodes;
  }

  /** The node in use now. */
  URI base() {
    return nodes.get(Math.floorMod(current.get(), nodes.size()));
  }

  /** {@code failed} did not answer (or answered 503): the next node is used, if there is one. */
  void nodeFailed(URI failed) {
    if (nodes.size() > 1) {
      int i = current.get();
      if (nodes.get(Math.floorMod(i, nodes.size())).equals(failed)) {
        current.compareAndSet(i, i + 1);
      }
    }
  }

  /** A receipt in block {@code height} was given to a caller: later reads must see that block. */
  void acknowledged(long height) {
    acknowledgedHeight.accumulateAndGet(height, Math::max);
  }

  /**
   * Makes sure the node in use has applied the client's last acknowledged block (only after moving
   * to another node); moves on if it does not get there within {@link #CATCH_UP_WAIT}.
   *
   * @throws IOException when the node cannot be asked
   */
  private void catchUp(URI b) throws IOException, InterruptedException {
    long h = acknowledgedHeight.get();
    if (nodes.size() == 1 || b.equals(caughtUp) || h < 0) {
      return;
    }
    long seconds = CATCH_UP_WAIT.toSeconds();
    HttpRequest req =
        HttpRequest.newBuilder(
                b.resolve("/v1/blocks?limit=1&wait=" + seconds + "&after=" + (h - 1)))
            .timeout(options.requestTimeout().plus(CATCH_UP_WAIT))
            .GET()
            .build();
    Reply r = reply(http.send(req, HttpResponse.BodyHandlers.ofByteArray()));
    if (r.status() == 200 && Json.head(r.body().path("head")).height() >= h) {
      caughtUp = b;
      return;
    }
    throw new IOException("node " + b + " is behind block " + h + " this client saw acknowledged");
  }

  // ---- queries ----------------------------------------------------------------------------------

  @Override
  public String networkId() {
    String id = networkId;
    if (id == null) {
      id = Json.text(ok(get("/v1/network")), "networkId");
      networkId = id;
    }
    return id;
  }

  @Override
  public long nextNonce(AccountId account) {
    return Json.longField(ok(get(accountPath(account) + "/nonce")), "nonce");
  }

  @Override
  public AccountInfo account(AccountId account) {
    return Json.accountInfo(ok(get(accountPath(account))));
  }

  @Override
  public List<AccountId> authorizations(AccountId owner) {
    return Json.list(
        ok(get(accountPath(owner) + "/authorizations")),
        "authorizations",
        e -> Json.parseAccount(e.asText(), "authorization"));
  }

  @Override
  public Optional<byte[]> encryptionKey(AccountId account) {
    return optional(get(accountPath(account) + "/key")).map(n -> Json.bytes(n, "x25519"));
  }

  @Override
  public List<BucketInfo> buckets(AccountId owner) {
    return Json.list(ok(get(accountPath(owner) + "/buckets")), "buckets", Json::bucket);
  }

  @Override
  public Optional<BucketInfo> bucket(AccountId owner, String name) {
    return optional(get(bucketPath(owner, name))).map(Json::bucket);
  }

  @Override
  public Optional<ObjectRecord> object(AccountId owner, String bucket, String key) {
    return optional(get(bucketPath(owner, bucket) + "/objects/" + Paths.segment(key)))
        .map(Json::objectRecord);
  }

  @Override
  public ListPage list(
      AccountId owner,
      String bucket,
      String prefix,
      String delimiter,
      String startAfter,
      int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    StringBuilder q = new StringBuilder(bucketPath(owner, bucket)).append("/objects?limit=");
    q.append(limit).append("&prefix=").append(Paths.segment(prefix));
    q.append("&delimiter=").append(Paths.segment(delimiter));
    if (startAfter != null) {
      q.append("&startAfter=").append(Paths.segment(startAfter));
    }
    return Json.listPage(ok(get(q.toString())));
  }

  @Override
  public Optional<ObjectRecord> objectById(ObjectId id) {
    return optional(get("/v1/objects/" + id.toHex())).map(Json::objectRecord);
  }

  @Override
  public ListPage sharedWith(AccountId grantee, String startAfter, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    StringBuilder q =
        new StringBuilder(accountPath(grantee)).append("/shared?limit=").append(limit);
    if (startAfter != null) {
      q.append("&startAfter=").append(Paths.segment(startAfter));
    }
    return Json.listPage(ok(get(q.toString())));
  }

  @Override
  public boolean isReferenced(Hash256 fragment) {
    return Json.bool(ok(get("/v1/fragments/" + fragment.toHex())), "referenced");
  }

  @Override
  public List<MinerInfo> miners() {
    return Json.list(ok(get("/v1/miners")), "miners", Json::miner);
  }

  @Override
  public Optional<MinerInfo> miner(AccountId miner) {
    return optional(get("/v1/miners/" + miner.address())).map(Json::miner);
  }

  @Override
  public List<Challenge> challenges() {
    return Json.list(ok(get("/v1/challenges")), "challenges", Json::challenge);
  }

  @Override
  public List<RepairOrder> repairOrders(long afterId, int limit) {
    return Json.list(
        ok(get("/v1/repair-orders?after=" + afterId + "&limit=" + limit)),
        "repairOrders",
        Json::repairOrder);
  }

  @Override
  public ChainHead head() {
    return Json.head(ok(get("/v1/head")));
  }

  @Override
  public Optional<BlockHeader> block(long height) {
    if (height < 0) {
      return Optional.empty();
    }
    synchronized (recentBlocks) {
      BlockHeader known = recentBlocks.get(height);
      if (known != null) {
        return Optional.of(known);
      }
    }
    return optional(get("/v1/blocks/" + height)).map(Json::header);
  }

  /**
   * Remembers the block headers an outcome page or a batch answer carried ({@code "blocks"}), so
   * that {@link #block} answers them without a request. A header's hash is checked against its
   * fields as it is parsed; headers of different nodes of one ledger agree.
   */
  void rememberBlocks(JsonNode page) {
    JsonNode blocks = page.get("blocks");
    if (blocks == null || !blocks.isArray()) {
      return;
    }
    for (JsonNode b : blocks) {
      BlockHeader h = Json.header(b);
      synchronized (recentBlocks) {
        recentBlocks.put(h.height(), h);
      }
    }
  }

  /**
   * The headers of the blocks above {@code after} (at most 100, oldest first), waiting up to {@code
   * wait} (whole seconds) for the first one; empty when none came.
   */
  public List<BlockHeader> blocksAfter(long after, Duration wait) {
    long seconds = Math.max(0, wait.toSeconds());
    return Json.list(
        ok(get("/v1/blocks?after=" + after + "&wait=" + seconds, Duration.ofSeconds(seconds))),
        "blocks",
        Json::header);
  }

  private static String accountPath(AccountId a) {
    return "/v1/accounts/" + a.address();
  }

  private static String bucketPath(AccountId a, String bucket) {
    return accountPath(a) + "/buckets/" + Paths.segment(bucket);
  }

  private Reply get(String path) {
    return get(path, Duration.ZERO);
  }

  /**
   * GET with retries of connection failures and timeouts (on the next node, when there are
   * several); {@code extra} adds to the timeout.
   */
  private Reply get(String path, Duration extra) {
    checkOpen();
    long backoff = options.retryBackoff().toMillis();
    IOException last = null;
    int attempts = options.queryAttempts() * nodes.size();
    for (int attempt = 1; attempt <= attempts; attempt++) {
      URI b = base();
      try {
        catchUp(b);
        HttpRequest req =
            HttpRequest.newBuilder(b.resolve(path))
                .timeout(options.requestTimeout().plus(extra))
                .GET()
                .build();
        return unavailableAsIo(b, reply(http.send(req, HttpResponse.BodyHandlers.ofByteArray())));
      } catch (IOException e) {
        last = e;
        nodeFailed(b);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LedgerUnavailableException("interrupted while asking the node " + path, e);
      }
      if (attempt < attempts && (nodes.size() == 1 || attempt % nodes.size() == 0)) {
        pause(backoff);
        backoff = Math.min(1000, backoff * 2);
      }
    }
    throw new LedgerUnavailableException(
        "ledger node "
            + String.join(",", nodes.stream().map(URI::toString).toList())
            + " did not answer GET "
            + path
            + ": "
            + last,
        last);
  }

  /**
   * With several nodes, a {@code 503} means "this node cannot serve now" (it lost its group or is
   * closing): it becomes an I/O failure of that node, so the caller moves on.
   */
  private Reply unavailableAsIo(URI b, Reply r) throws IOException {
    if (nodes.size() > 1 && r.status() == 503) {
      throw new IOException("ledger node " + b + " is unavailable: " + r.message());
    }
    return r;
  }

  /** An async exchange with the node in use; its failure (or 503, see above) moves on. */
  private CompletableFuture<Reply> exchange(HttpRequest.Builder req, URI b) {
    return http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(RemoteLedgerClient::reply)
        .thenApply(
            r -> {
              try {
                return unavailableAsIo(b, r);
              } catch (IOException e) {
                throw new CompletionException(e);
              }
            })
        .whenComplete(
            (r, e) -> {
              if (e != null && cause(e) instanceof IOException) {
                nodeFailed(b);
              }
            });
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerUnavailableException("interrupted while waiting to retry", e);
    }
  }

  private static Reply reply(HttpResponse<byte[]> r) {
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new LedgerUnavailableException(
          "ledger node answered status " + r.statusCode() + " without a JSON body", e);
    }
    if (body == null || !body.isObject()) {
      throw new LedgerUnavailableException(
          "ledger node answered status " + r.statusCode() + " without a JSON object");
    }
    return new Reply(r.statusCode(), body);
  }

  /** The body of a 200 answer; any other answer becomes its exception. */
  private static JsonNode ok(Reply r) {
    if (r.status() == 200) {
      return r.body();
    }
    throw failure(r);
  }

  /** Empty for 404 NOT_FOUND, the body for 200. */
  private static Optional<JsonNode> optional(Reply r) {
    if (r.status() == 404 && r.error().equals(HttpError.Code.NOT_FOUND.name())) {
      return Optional.empty();
    }
    return Optional.of(ok(r));
  }

  /** The core exception of an error answer. */
  static RuntimeException failure(Reply r) {
    String error = r.error();
    if (error.equals(HttpError.Code.REJECTED.name())) {
      String reason = r.body().path("reason").asText();
      try {
        return new LedgerRejection(LedgerRejection.Reason.valueOf(reason), r.message());
      } catch (IllegalArgumentException e) {
        return new LedgerUnavailableException(
            "ledger node rejected with reason '" + reason + "' unknown here: " + r.message());
      }
    }
    if (r.status() >= 500 || error.equals(HttpError.Code.UNAVAILABLE.name())) {
      return new LedgerUnavailableException(
          "ledger node answered " + r.status() + " " + error + ": " + r.message());
    }
    return new IllegalArgumentException(
        "ledger node answered " + r.status() + " " + error + ": " + r.message());
  }

  private void checkOpen() {
    if (closed) {
      throw new LedgerUnavailableException("ledger client is closed");
    }
  }

  // ---- submitting -------------------------------------------------------------------------------

  @Override
  public CompletableFuture<Receipt> submit(SignedTransaction tx) {
    Objects.requireNonNull(tx, "tx");
    if (closed) {
      return CompletableFuture.failedFuture(
          new LedgerUnavailableException("ledger client is closed"));
    }
    Submission s = new Submission(tx, this);
    inFlight.incrementAndGet();
    synchronized (signers) {
      SignerQueue q = signers.computeIfAbsent(tx.signer(), k -> new SignerQueue());
      q.unresolved.add(s);
      q.waiting.add(s);
      if (!q.flushQueued) {
        q.flushQueued = true;
        q.tail = q.tail.thenCompose(x -> postWaiting(q));
      }
    }
    s.result()
        .whenComplete(
            (r, e) -> {
              synchronized (signers) {
                SignerQueue q = signers.get(tx.signer());
                q.unresolved.remove(s);
                if (q.unresolved.isEmpty()) {
                  signers.remove(tx.signer());
                }
              }
              if (inFlight.decrementAndGet() == 0 && closed) {
                executor.shutdown();
              }
            });
    return s.result();
  }

  /**
   * One signer's submissions not yet resolved, and the tail of the chain of their posts: a post is
   * sent once the previous one is settled (queued by a node, or resolved). Guarded by {@code
   * signers}.
   */
  private static final class SignerQueue {
    final java.util.Set<Submission> unresolved = new java.util.HashSet<>();
    final java.util.ArrayDeque<Submission> waiting = new java.util.ArrayDeque<>();
    boolean flushQueued;
    CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  }

  /** Most transactions one batched post carries (the node takes up to 1000). */
  static final int MAX_BATCH = 256;

  /** Most encoded bytes one batched post carries, beside its first transaction. */
  static final int MAX_BATCH_BYTES = 4 << 20;

  /**
   * Posts the signer's submissions that waited while its previous post was in flight: one alone by
   * {@code POST /v1/transactions}, several in one {@code POST /v1/transactions/batch} (as many as
   * {@link #MAX_BATCH} and {@link #MAX_BATCH_BYTES} allow; the rest go in the next post). Completes
   * once every posted one is settled.
   */
  private CompletableFuture<Void> postWaiting(SignerQueue q) {
    List<Submission> batch = new java.util.ArrayList<>();
    synchronized (signers) {
      long bytes = 0;
      while (!q.waiting.isEmpty() && batch.size() < MAX_BATCH) {
        Submission next = q.waiting.peek();
        if (!batch.isEmpty() && bytes + next.encodedLength() > MAX_BATCH_BYTES) {
          break;
        }
        bytes += next.encodedLength();
        batch.add(q.waiting.poll());
      }
      if (q.waiting.isEmpty()) {
        q.flushQueued = false;
      } else {
        q.tail = q.tail.thenCompose(x -> postWaiting(q));
      }
    }
    if (batch.size() == 1) {
      return batch.get(0).post();
    }
    return Submission.postBatch(batch, this);
  }

  /** Completes when every unresolved submission of {@code tx}'s signer with a lower nonce has. */
  CompletableFuture<Void> earlierResolved(SignedTransaction tx) {
    List<CompletableFuture<?>> earlier = new java.util.ArrayList<>();
    synchronized (signers) {
      SignerQueue q = signers.get(tx.signer());
      if (q != null) {
        for (Submission s : q.unresolved) {
          if (s.nonce() < tx.nonce()) {
            earlier.add(s.result().handle((r, e) -> null));
          }
        }
      }
    }
    return CompletableFuture.allOf(earlier.toArray(CompletableFuture[]::new));
  }

  Options options() {
    return options;
  }

  /** Whether the node is thought to have {@code POST /v1/transactions/batch}. */
  boolean batchRoute() {
    return batchRoute;
  }

  /** The node answered NO_ROUTE to a batch: post one by one from now on. */
  void noBatchRoute() {
    batchRoute = false;
  }

  HttpClient http() {
    return http;
  }

  /** Runs {@code task} after {@code millis} on the client's threads. */
  void later(long millis, Runnable task) {
    CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS, executor).execute(task);
  }

  boolean isClosed() {
    return closed;
  }

  /** Async GET of one reply, no retries (the submission's own loop retries). */
  CompletableFuture<Reply> getAsync(String path, Duration timeout) {
    URI b = base();
    return exchange(HttpRequest.newBuilder(b.resolve(path)).timeout(timeout).GET(), b);
  }

  OutcomePoller poller() {
    return poller;
  }

  /** Async POST of a JSON body. */
  CompletableFuture<Reply> postJsonAsync(String path, byte[] json) {
    URI b = base();
    return exchange(
        HttpRequest.newBuilder(b.resolve(path))
            .timeout(options.requestTimeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json)),
        b);
  }

  /** Async POST of several encoded transactions ({@code /v1/transactions/batch}). */
  CompletableFuture<Reply> postBatchAsync(byte[] body) {
    return postBytes("/v1/transactions/batch", body);
  }

  /** Async POST of an encoded transaction, answered as soon as the node queued it. */
  CompletableFuture<Reply> postAsync(byte[] encoded) {
    return postBytes("/v1/transactions?wait=false", encoded);
  }

  private CompletableFuture<Reply> postBytes(String path, byte[] body) {
    URI b = base();
    return exchange(
        HttpRequest.newBuilder(b.resolve(path))
            .timeout(options.requestTimeout())
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
        b);
  }

  /**
   * Stops taking transactions: later calls fail with {@link LedgerUnavailableException};
   * submissions already made keep going until their outcome is known. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    if (inFlight.get() == 0) {
      executor.shutdown();
    }
  }

  @Override
  public String toString() {
    return "RemoteLedgerClient("
        + String.join(",", nodes.stream().map(URI::toString).toList())
        + ")";
  }

  /** Unwraps the exception a future failed with. */
  static Throwable cause(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
