package org.deoss.tests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.ledger.PutCondition;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.ledger.embedded.EmbeddedLedger;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.manifest.SegmentRef;
import org.deoss.core.port.InMemoryLedger;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.TxBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Committed {@code PutObject} transactions per second: each operation submits one pre-signed put (a
 * 1 MiB object: one segment, 12 fragments on 12 miners) and waits for its receipt. {@code
 * ledger=embedded} is {@link EmbeddedLedger} in a temporary folder (real fsync before every
 * acknowledgement, group commit); {@code ledger=memory} is the same state machine without a disk
 * ({@link InMemoryLedger}, one block per put), the baseline. Both verify the Ed25519 signature on
 * the submitting thread. Each thread signs for its own account, overwriting 500 keys in turn;
 * transactions are signed between iterations (not measured), sized from the previous iteration's
 * rate. {@link #copyEncodedPut} copies one encoded put, the byte-copy baseline.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class LedgerBench {
  private static final String NET = "bench-net";
  private static final int OWNERS = 64;
  private static final int KEYS_PER_OWNER = 500;
  private static final long OBJECT_SIZE = 1 << 20;

  @Param({"embedded", "memory"})
  public String ledger;

  LedgerClient client;
  private Path dir;
  final List<AccountKeys> owners = new ArrayList<>();
  final List<AccountKeys> miners = new ArrayList<>();
  final AtomicInteger nextOwner = new AtomicInteger();
  private byte[] encodedPut;
  private byte[] copy;

  private static AccountKeys keys(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    seed[1] = (byte) (n >> 8);
    seed[2] = 42;
    return AccountKeys.fromSeed(seed);
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Genesis.Builder g =
        Genesis.builder(NET)
            .genesisTimeMillis(System.currentTimeMillis())
            .offlineAfterMillis(1L << 50)
            .audits(0, 1, 1, 1, 1);
    for (int i = 0; i < OWNERS; i++) {
      owners.add(keys(i + 1));
      g.endow(owners.get(i).id(), 100_000 * Genesis.TOKEN);
    }
    for (int i = 0; i < 12; i++) {
      miners.add(keys(1000 + i));
      g.endow(miners.get(i).id(), 10_000 * Genesis.TOKEN);
    }
    Genesis genesis = g.build();
    if (ledger.equals("embedded")) {
      dir = Files.createTempDirectory("ledger-bench");
      client = EmbeddedLedger.open(dir, genesis, EmbeddedLedger.Options.defaults());
    } else {
      client = new InMemoryLedger(genesis, System::currentTimeMillis);
    }
    List<CompletableFuture<Receipt>> setup = new ArrayList<>();
    for (AccountKeys m : miners) {
      setup.add(
          new TxBuilder(client, m)
              .submit(new Call.RegisterMiner("127.0.0.1:9", 1L << 40, 4000 * Genesis.TOKEN, "z")));
    }
    for (AccountKeys o : owners) {
      TxBuilder b = new TxBuilder(client, o);
      setup.add(b.submit(new Call.BuySpace(10, 30)));
      setup.add(b.submit(new Call.CreateBucket(o.id(), "bench")));
    }
    for (CompletableFuture<Receipt> f : setup) {
      f.join();
    }
    encodedPut = put(owners.get(0), 0, new SplittableRandom(1), 0).encode();
    copy = new byte[encodedPut.length];
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    client.close();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  SignedTransaction put(AccountKeys owner, int ownerIndex, SplittableRandom rnd, long nonce) {
    int k = (int) (nonce % KEYS_PER_OWNER);
    byte[] id = new byte[ObjectId.LENGTH];
    id[0] = (byte) ownerIndex;
    id[1] = (byte) (k >> 8);
    id[2] = (byte) k;
    int encrypted = (int) OBJECT_SIZE + 16 * 16;
    int fragment = (encrypted + 3) / 4;
    List<FragmentRef> frags = new ArrayList<>(12);
    for (int i = 0; i < 12; i++) {
      frags.add(new FragmentRef(i, randomHash(rnd), fragment, miners.get(i).id()));
    }
    SegmentRef seg = new SegmentRef(0, (int) OBJECT_SIZE, encrypted, randomHash(rnd), frags);
    ObjectManifest m =
        new ObjectManifest(
            ObjectId.of(id), OBJECT_SIZE, 32 << 20, 4, 8, 64 << 10, randomHash(rnd), List.of(seg));
    Call.PutObject call =
        new Call.PutObject(
            owner.id(),
            "bench",
            "photos/2026/img-" + k + ".jpg",
            m,
            PosixAttributes.file(0100644, nonce),
            Access.privateTo(owner.id(), new byte[80]),
            PutCondition.none());
    return SignedTransaction.sign(owner, NET, nonce, call);
  }

  private static Hash256 randomHash(SplittableRandom rnd) {
    byte[] b = new byte[32];
    rnd.nextBytes(b);
    return Hash256.of(b);
  }

  /** One submitting thread: its account and its queue of pre-signed puts. */
  @State(Scope.Thread)
  public static class Submitter {
    private AccountKeys owner;
    private int index;
    private long nonce;
    private SplittableRandom rnd;
    private final ArrayDeque<SignedTransaction> ready = new ArrayDeque<>();
    private int consumed;
    private int target = 1000;
    private LedgerBench bench;

    @Setup(Level.Trial)
    public void assign(LedgerBench b) {
      bench = b;
      index = b.nextOwner.getAndIncrement();
      owner = b.owners.get(index);
      nonce = b.client.nextNonce(owner.id());
      rnd = new SplittableRandom(index);
    }

    @Setup(Level.Iteration)
    public void topUp() {
      target = Math.max(target, 2 * consumed);
      consumed = 0;
      while (ready.size() < target) {
        ready.add(bench.put(owner, index, rnd, nonce++));
      }
    }

    SignedTransaction next() {
      consumed++;
      SignedTransaction tx = ready.poll();
      return tx != null ? tx : bench.put(owner, index, rnd, nonce++);
    }
  }

  @Benchmark
  @Threads(1)
  public Receipt puts1Thread(Submitter s) {
    return client.submit(s.next()).join();
  }

  @Benchmark
  @Threads(8)
  public Receipt puts8Threads(Submitter s) {
    return client.submit(s.next()).join();
  }

  @Benchmark
  @Threads(64)
  public Receipt puts64Threads(Submitter s) {
    return client.submit(s.next()).join();
  }

  @Benchmark
  public byte[] copyEncodedPut() {
    System.arraycopy(encodedPut, 0, copy, 0, encodedPut.length);
    return copy;
  }
}
