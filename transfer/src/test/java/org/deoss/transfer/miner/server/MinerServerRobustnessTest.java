package org.deoss.transfer.miner.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.InMemoryFragmentStore;
import org.deoss.transfer.protocol.ErrorCode;
import org.deoss.transfer.protocol.FrameType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real server on loopback against peers that send junk or stall. */
class MinerServerRobustnessTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final AccountKeys minerKeys = AccountKeys.generate(RANDOM);
  private final AccountKeys clientKeys = AccountKeys.generate(RANDOM);
  private final InMemoryFragmentStore store = new InMemoryFragmentStore(64L << 20);
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private MinerServer server;
  private InetSocketAddress address;

  @BeforeEach
  void start() {
    MinerServerOptions options =
        MinerServerOptions.defaults("127.0.0.1", 0)
            .withTimeouts(
                Duration.ofMillis(1500),
                Duration.ofMillis(400),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5));
    server =
        new MinerServer(
            minerKeys, store, Admission.ANYONE, DeletionPolicy.ALWAYS, executor, options, RANDOM);
    address = server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
    executor.shutdownNow();
  }

  private static int errorCode(RawPeer.RawFrame f) {
    return ByteBuffer.wrap(f.payload()).getShort() & 0xFFFF;
  }

  @Test
  void silentPeer_afterHandshake_isClosedByTheIdleTimeout() throws Exception {
    try (RawPeer peer = new RawPeer(address, 10_000)) {
      peer.handshake(clientKeys, minerKeys.id(), new byte[32]);
      RawPeer.RawFrame f = peer.read();
      assertEquals(FrameType.ERROR.code(), f.type());
      assertEquals(ErrorCode.TIMEOUT.code(), errorCode(f));
      assertEquals(0, peer.drainUntilClosed());
    }
  }

  @Test
  void peerStuckInsideAHeader_isClosed() throws Exception {
    try (RawPeer peer = new RawPeer(address, 10_000)) {
      peer.write(new byte[] {0x44, 0x4F, 0x53, 0x46, 1, 1});
      RawPeer.RawFrame f = peer.read();
      assertEquals(ErrorCode.TIMEOUT.code(), errorCode(f));
      assertEquals(0, peer.drainUntilClosed());
    }
  }

  @Test
  void uploadThatStalls_timesOut_andNothingIsKept() throws Exception {
    try (RawPeer peer = new RawPeer(address, 10_000)) {
      peer.handshake(clientKeys, minerKeys.id(), new byte[32]);
      byte[] begin = ByteBuffer.allocate(40).put(Hash256.ZERO.toBytes()).putLong(1 << 20).array();
      peer.write(RawPeer.frame(1, FrameType.PUT_BEGIN.code(), 7, begin));
      peer.write(RawPeer.frame(1, FrameType.DATA.code(), 7, new byte[1000]));
      RawPeer.RawFrame f = peer.read();
      assertEquals(FrameType.ERROR.code(), f.type());
      assertEquals(ErrorCode.TIMEOUT.code(), errorCode(f));
      assertEquals(0, store.stats().get().fragments());
    }
  }

  /** Seeded junk: random bytes, random frames, and mutations of valid request frames. */
  @Test
  void fuzz_randomAndMutatedFrames_leaveTheServerServing() throws Exception {
    long seed = Long.getLong("deoss.fuzz.seed", 0x5EED_F022L);
    SplittableRandom random = new SplittableRandom(seed);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int rounds = 0;
    for (; rounds < 150 && System.nanoTime() < deadline; rounds++) {
      try (RawPeer peer = new RawPeer(address, 10_000)) {
        int kind = random.nextInt(4);
        if (kind >= 2) {
          peer.handshake(clientKeys, minerKeys.id(), new byte[32]);
        }
        int frames = random.nextInt(1, 12);
        for (int i = 0; i < frames; i++) {
          if (!peer.write(junk(random, kind))) {
            break;
          }
        }
        peer.shutdownOutput();
        peer.drainUntilClosed();
      } catch (IOException | AssertionError e) {
        throw new AssertionError("fuzz round " + rounds + ", seed " + seed + ": " + e, e);
      }
    }
    assertEquals(MinerServer.State.RUNNING, server.state());
    byte[] data = new byte[300_000];
    random.nextBytes(data);
    Hash256 id = FragmentMerkle.root(data, 0, data.length);
    try (RawPeer peer = new RawPeer(address, 10_000)) {
      peer.handshake(clientKeys, minerKeys.id(), new byte[32]);
      peer.write(
          RawPeer.frame(
              1,
              FrameType.PUT_BEGIN.code(),
              1,
              ByteBuffer.allocate(40).put(id.toBytes()).putLong(data.length).array()));
      peer.write(RawPeer.frame(1, FrameType.DATA.code(), 1, data));
      peer.write(RawPeer.frame(1, FrameType.PUT_END.code(), 1, new byte[0]));
      RawPeer.RawFrame ok = peer.read();
      assertEquals(
          FrameType.PUT_OK.code(), ok.type(), "after " + rounds + " fuzz rounds, seed " + seed);
    }
    assertArrayEquals(data, store.get(id).get().array());
  }

  private byte[] junk(SplittableRandom random, int kind) {
    switch (kind) {
      case 0 -> {
        byte[] b = new byte[random.nextInt(1, 200)];
        random.nextBytes(b);
        return b;
      }
      case 1, 2 -> {
        byte[] payload = new byte[random.nextInt(0, 100)];
        random.nextBytes(payload);
        return RawPeer.frame(
            random.nextInt(3) == 0 ? random.nextInt(256) : 1,
            random.nextInt(256),
            random.nextLong(4),
            payload);
      }
      default -> {
        byte[] valid = validRequest(random);
        int flips = random.nextInt(1, 4);
        for (int i = 0; i < flips; i++) {
          valid[random.nextInt(valid.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return valid;
      }
    }
  }

  private static byte[] validRequest(SplittableRandom random) {
    byte[] id = new byte[32];
    random.nextBytes(id);
    long rid = random.nextLong(1, 5);
    return switch (random.nextInt(6)) {
      case 0 ->
          RawPeer.frame(
              1,
              FrameType.PUT_BEGIN.code(),
              rid,
              ByteBuffer.allocate(40).put(id).putLong(random.nextLong(0, 5000)).array());
      case 1 -> RawPeer.frame(1, FrameType.DATA.code(), rid, new byte[random.nextInt(0, 3000)]);
      case 2 -> RawPeer.frame(1, FrameType.PUT_END.code(), rid, new byte[0]);
      case 3 ->
          RawPeer.frame(
              1,
              FrameType.GET.code(),
              rid,
              ByteBuffer.allocate(44)
                  .put(id)
                  .putLong(random.nextLong(0, 100))
                  .putInt(random.nextInt(0, 100))
                  .array());
      case 4 ->
          RawPeer.frame(
              1,
              FrameType.PROVE.code(),
              rid,
              ByteBuffer.allocate(38)
                  .put(id)
                  .putShort((short) 1)
                  .putInt(random.nextInt(0, 10))
                  .array());
      default ->
          RawPeer.frame(
              1,
              random.nextBoolean() ? FrameType.STATS.code() : FrameType.HAS.code(),
              rid,
              random.nextBoolean() ? new byte[0] : id);
    };
  }
}
