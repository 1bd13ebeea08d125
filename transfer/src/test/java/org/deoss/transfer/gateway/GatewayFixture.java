package org.deoss.transfer.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.EncryptionKeys;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.pipeline.ObjectReader;
import org.deoss.core.pipeline.ObjectWriter;
import org.deoss.core.pipeline.PipelineConfig;
import org.deoss.core.placement.Placement;
import org.deoss.core.port.InMemoryFragmentStore;
import org.deoss.core.port.InMemoryLedger;
import org.deoss.core.port.InMemoryMinerDirectory;
import org.deoss.core.port.TxBuilder;

/**
 * A gateway served on loopback over an in-memory network (ledger, three miners, RS 2+1, 1 MiB
 * segments). Alice has space, a bucket {@code photos}, an announced key and has authorized the
 * gateway; Bob has space, a bucket and a key but has not authorized it. The gateway's clock is
 * {@link #now}, which tests move.
 */
final class GatewayFixture implements AutoCloseable {
  static final String NET = "gateway-test";
  static final String BUCKET = "photos";

  final AtomicLong now = new AtomicLong(1_790_000_000_000L);
  final AccountKeys alice = keys(1);
  final AccountKeys bob = keys(2);
  final AccountKeys carol = keys(3);
  final AccountKeys gatewayKeys = keys(9);
  final InMemoryLedger ledger;
  final InMemoryMinerDirectory miners = new InMemoryMinerDirectory();
  final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1);
  final ExecutorService cpu = Executors.newFixedThreadPool(2);
  final GatewayServer server;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private long counter;

  GatewayFixture() throws InterruptedException {
    this(o -> o);
  }

  GatewayFixture(UnaryOperator<GatewayOptions> tune) throws InterruptedException {
    Genesis.Builder b = Genesis.builder(NET);
    for (AccountKeys k : new AccountKeys[] {alice, bob, carol, gatewayKeys}) {
      b.endow(k.id(), 100_000 * Genesis.TOKEN);
    }
    AccountKeys[] minerKeys = {keys(100), keys(101), keys(102)};
    for (AccountKeys m : minerKeys) {
      b.endow(m.id(), 10_000 * Genesis.TOKEN);
    }
    ledger = new InMemoryLedger(b.build(), now::get);
    for (AccountKeys m : minerKeys) {
      submit(m, new Call.RegisterMiner("127.0.0.1:1", 1L << 40, 4000 * Genesis.TOKEN, "z"));
      miners.add(m.id(), "z", new InMemoryFragmentStore(1L << 30));
    }
    for (AccountKeys k : new AccountKeys[] {alice, bob, carol}) {
      submit(k, new Call.BuySpace(1, 30));
      submit(k, new Call.CreateBucket(k.id(), BUCKET));
      submit(k, new Call.AnnounceKey(EncryptionKeys.derive(k).publicKey()));
    }
    submit(alice, new Call.Authorize(gatewayKeys.id()));
    PipelineConfig config =
        PipelineConfig.defaults()
            .withSegmentSize(1 << 20)
            .withCoding(2, 1)
            .withHedgeDelay(Duration.ZERO);
    SecureRandom secure = new SecureRandom();
    ObjectWriter writer =
        new ObjectWriter(config, miners, Placement.create(2, 1, new SplittableRandom(5)), secure);
    ObjectReader reader = new ObjectReader(miners, timers, Duration.ZERO, cpu);
    TxBuilder tx = new TxBuilder(ledger, gatewayKeys);
    tx.announceKeyIfMissing();
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(now.get());
          }
        };
    GatewayServer.Backend backend =
        new GatewayServer.Backend(
            gatewayKeys,
            EncryptionKeys.derive(gatewayKeys),
            ledger,
            tx,
            writer,
            reader,
            clock,
            secure);
    GatewayOptions options =
        GatewayOptions.defaults(new InetSocketAddress("127.0.0.1", 0))
            .withMaxObjectBytes(64L << 20);
    server = GatewayServer.start(tune.apply(options), backend, "deoss-java test");
  }

  static AccountKeys keys(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    seed[31] = 11;
    return AccountKeys.fromSeed(seed);
  }

  void submit(AccountKeys k, Call c) {
    ledger.submit(SignedTransaction.sign(k, NET, ledger.nextNonce(k.id()), c)).join();
  }

  URI uri(String path) {
    return URI.create(server.uri() + path);
  }

  /** A fresh signed message of {@code k} (unique: milliseconds plus a counter). */
  synchronized String[] signed(AccountKeys k) {
    String message = Long.toString(now.get() + (counter++ % 1000));
    byte[] sig = k.sign(message.getBytes(StandardCharsets.UTF_8));
    return new String[] {
      "Account", k.id().address(), "Message", message, "Signature", Signatures.hex(sig)
    };
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
  }

  HttpRequest.Builder signedRequest(String path, AccountKeys k) {
    return request(path).headers(signed(k));
  }

  HttpResponse<String> send(HttpRequest r) throws IOException, InterruptedException {
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> sendBytes(HttpRequest r) throws IOException, InterruptedException {
    return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Uploads {@code data} as {@code BUCKET/key} of {@code k} with a raw body. */
  HttpResponse<String> putRaw(AccountKeys k, String key, byte[] data, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        signedRequest("/object/" + key, k)
            .header("Bucket", BUCKET)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(data));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  /** Sends raw bytes on a new connection and returns everything the gateway answers until close. */
  String raw(byte[] request, Duration timeout) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(server.address(), 5000);
      s.setSoTimeout((int) timeout.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = s.getInputStream();
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          got.write(buf, 0, n);
        }
      } catch (java.net.SocketTimeoutException e) {
        got.write("<timeout>".getBytes(StandardCharsets.US_ASCII));
      } catch (java.net.SocketException e) {
        got.write(("<" + e.getMessage() + ">").getBytes(StandardCharsets.US_ASCII));
      }
      return got.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Override
  public void close() {
    server.close();
    timers.shutdownNow();
    cpu.shutdownNow();
  }
}
