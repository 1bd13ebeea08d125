package org.deoss.transfer.miner.server;

import static org.deoss.transfer.miner.server.ServerHandshakeTest.assertFatal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.transfer.protocol.ErrorCode;
import org.deoss.transfer.protocol.Frame;
import org.deoss.transfer.protocol.FrameType;
import org.deoss.transfer.protocol.Messages;
import org.junit.jupiter.api.Test;

class MinerRequestHandlerTest {
  private final SplittableRandom random = new SplittableRandom(3);

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static void put(ServerHarness h, long id, Hash256 claimed, byte[] data, int chunk) {
    h.send(
        Frame.of(
            FrameType.PUT_BEGIN,
            id,
            new Messages.PutBegin(claimed, data.length).encode(h.channel.alloc())));
    for (int off = 0; off < data.length; off += chunk) {
      h.send(
          Frame.of(
              FrameType.DATA,
              id,
              Unpooled.wrappedBuffer(data, off, Math.min(chunk, data.length - off))));
    }
    h.send(Frame.empty(FrameType.PUT_END, id));
  }

  private static Messages.ErrorMessage error(Frame f, long id) {
    try {
      assertEquals(FrameType.ERROR, f.type(), f.toString());
      assertEquals(id, f.requestId());
      return Messages.ErrorMessage.decode(f.payload());
    } finally {
      f.release();
    }
  }

  private static void expect(ServerHarness h, FrameType type, long id) {
    Frame f = h.one();
    f.release();
    assertEquals(type, f.type(), f.toString());
    assertEquals(id, f.requestId());
  }

  @Test
  void put_inChunks_thenGet_streamsDataThenEnd() throws Exception {
    try (ServerHarness h = new ServerHarness()) {
      h.handshake();
      byte[] data = bytes(700_000);
      Hash256 id = FragmentMerkle.root(data, 0, data.length);
      put(h, 1, id, data, 100_000);
      expect(h, FrameType.PUT_OK, 1);
      assertTrue(h.store.has(id).get());
      h.send(
          Frame.of(
              FrameType.GET,
              2,
              new Messages.GetRequest(id, 0, Messages.GetRequest.TO_END)
                  .encode(h.channel.alloc())));
      List<Frame> frames = h.received();
      assertEquals(FrameType.END, frames.get(frames.size() - 1).type());
      var all = Unpooled.buffer();
      for (Frame f : frames.subList(0, frames.size() - 1)) {
        assertEquals(FrameType.DATA, f.type());
        all.writeBytes(f.payload());
      }
      frames.forEach(Frame::release);
      assertEquals(3, frames.size() - 1, "700000 bytes in 256 KiB chunks");
      assertTrue(java.util.Arrays.equals(data, ByteBufUtil.getBytes(all)));
    }
  }

  @Test
  void put_whoseBytesDoNotMatchTheId_failsWithHashMismatch_andStoresNothing() throws Exception {
    try (ServerHarness h = new ServerHarness()) {
      h.handshake();
      byte[] data = bytes(5000);
      Hash256 wrong = FragmentMerkle.root(bytes(5000), 0, 5000);
      put(h, 1, wrong, data, 1000);
      assertEquals(ErrorCode.HASH_MISMATCH, error(h.one(), 1).code());
      assertEquals(0, h.store.stats().get().fragments());
      assertTrue(h.channel.isOpen(), "a failed request must not close the connection");
    }
  }

  @Test
  void put_beyondTheWindow_isBusy_andLaterChunksAreIgnored() {
    try (ServerHarness h = new ServerHarness()) {
      h.handshake();
      long window = MinerServerOptions.defaults("x", 0).putWindow();
      h.send(
          Frame.of(
              FrameType.PUT_BEGIN,
              1,
              new Messages.PutBegin(Hash256.ZERO, window).encode(h.channel.alloc())));
      h.send(
          Frame.of(
              FrameType.PUT_BEGIN,
              2,
              new Messages.PutBegin(Hash256.ZERO, 1).encode(h.channel.alloc())));
      assertEquals(ErrorCode.BUSY, error(h.one(), 2).code());
      h.send(Frame.of(FrameType.DATA, 2, Unpooled.wrappedBuffer(new byte[1])));
      h.send(Frame.empty(FrameType.PUT_END, 2));
      assertEquals(List.of(), h.received());
      assertTrue(h.channel.isOpen());
    }
  }

  @Test
  void put_longerThanDeclared_closesTheConnection() {
    try (ServerHarness h = new ServerHarness()) {
      h.handshake();
      h.send(
          Frame.of(
              FrameType.PUT_BEGIN,
              1,
              new Messages.PutBegin(Hash256.ZERO, 10).encode(h.channel.alloc())));
      h.send(Frame.of(FrameType.DATA, 1, Unpooled.wrappedBuffer(new byte[11])));
      assertFatal(h, ErrorCode.MALFORMED_FRAME);
    }
  }

  @Test
  void data_forNoOpenPut_closesTheConnection() {
    try (ServerHarness h = new ServerHarness()) {
      h.handshake();
      h.send(Frame.of(FrameType.DATA, 9, Unpooled.wrappedBuffer(new byte[3])));
      assertFatal(h, ErrorCode.MALFORMED_FRAME);
    }
  }

  @Test
  void answerType_sentAsRequest_isUnknownType() {
    try (ServerHarness h = new ServerHarness()) {
      h.handshake();
      h.send(Frame.empty(FrameType.PUT_OK, 9));
      assertFatal(h, ErrorCode.UNKNOWN_TYPE);
    }
  }

  @Test
  void put_notFinishedInTime_timesOut_andReleasesItsBuffer() {
    try (ServerHarness h = new ServerHarness()) {
      h.handshake();
      h.send(
          Frame.of(
              FrameType.PUT_BEGIN,
              1,
              new Messages.PutBegin(Hash256.ZERO, 1000).encode(h.channel.alloc())));
      h.send(Frame.of(FrameType.DATA, 1, Unpooled.wrappedBuffer(new byte[10])));
      h.channel.advanceTimeBy(121, TimeUnit.SECONDS);
      h.channel.runScheduledPendingTasks();
      assertEquals(ErrorCode.TIMEOUT, error(h.one(), 1).code());
      h.send(Frame.of(FrameType.DATA, 1, Unpooled.wrappedBuffer(new byte[10])));
      assertTrue(h.channel.isOpen());
    }
  }

  @Test
  void delete_refusedByPolicy_isDeleteRefused_andKeepsTheFragment() throws Exception {
    try (ServerHarness h = new ServerHarness(Admission.ANYONE, DeletionPolicy.NEVER)) {
      h.handshake();
      byte[] data = bytes(100);
      Hash256 id = FragmentMerkle.root(data, 0, 100);
      put(h, 1, id, data, 100);
      expect(h, FrameType.PUT_OK, 1);
      h.send(Frame.of(FrameType.DELETE, 2, Messages.encodeId(h.channel.alloc(), id)));
      assertEquals(ErrorCode.DELETE_REFUSED, error(h.one(), 2).code());
      assertTrue(h.store.has(id).get());
    }
  }

  @Test
  void get_unknownFragment_isNotFound_andHasSaysNo() {
    try (ServerHarness h = new ServerHarness()) {
      h.handshake();
      h.send(
          Frame.of(
              FrameType.GET,
              1,
              new Messages.GetRequest(Hash256.ZERO, 0, 10).encode(h.channel.alloc())));
      assertEquals(ErrorCode.NOT_FOUND, error(h.one(), 1).code());
      h.send(Frame.of(FrameType.HAS, 2, Messages.encodeId(h.channel.alloc(), Hash256.ZERO)));
      Frame f = h.one();
      assertFalse(Messages.decodeBoolean(f.payload(), "HAS_RESULT"));
      f.release();
    }
  }

  @Test
  void prove_returnsProofsThatVerifyAgainstTheId() {
    try (ServerHarness h = new ServerHarness()) {
      h.handshake();
      byte[] data = bytes(10_000);
      Hash256 id = FragmentMerkle.root(data, 0, data.length);
      put(h, 1, id, data, 4096);
      expect(h, FrameType.PUT_OK, 1);
      h.send(
          Frame.of(
              FrameType.PROVE,
              2,
              new Messages.ProveRequest(id, new int[] {0, 3, 9}).encode(h.channel.alloc())));
      Frame f = h.one();
      List<FragmentMerkle.Proof> proofs = Messages.decodeProofs(f.payload());
      f.release();
      assertEquals(3, proofs.size());
      for (FragmentMerkle.Proof p : proofs) {
        assertTrue(p.verify(id), p.toString());
      }
      h.send(
          Frame.of(
              FrameType.PROVE,
              3,
              new Messages.ProveRequest(id, new int[] {10}).encode(h.channel.alloc())));
      assertEquals(ErrorCode.BAD_RANGE, error(h.one(), 3).code());
    }
  }

  @Test
  void storeOffline_mapsToUnavailable() {
    try (ServerHarness h = new ServerHarness()) {
      h.handshake();
      ((org.deoss.core.port.InMemoryFragmentStore) h.store).setOnline(false);
      h.send(Frame.empty(FrameType.STATS, 4));
      assertEquals(ErrorCode.UNAVAILABLE, error(h.one(), 4).code());
    }
  }

  @Test
  void storeBacklog_stopsReading_untilTheStoreCatchesUp() {
    AtomicBoolean hold = new AtomicBoolean();
    ArrayDeque<Runnable> queued = new ArrayDeque<>();
    Executor executor =
        r -> {
          if (hold.get()) {
            queued.add(r);
          } else {
            r.run();
          }
        };
    try (ServerHarness h = new ServerHarness(Admission.ANYONE, DeletionPolicy.ALWAYS, executor)) {
      h.handshake();
      hold.set(true);
      int max = MinerServerOptions.defaults("x", 0).maxPendingOps();
      for (int i = 1; i < max; i++) {
        h.send(Frame.empty(FrameType.STATS, i));
      }
      assertTrue(h.channel.config().isAutoRead());
      h.send(Frame.empty(FrameType.STATS, max));
      assertFalse(h.channel.config().isAutoRead(), max + " store calls outstanding");
      queued.poll().run();
      h.channel.runPendingTasks();
      assertTrue(h.channel.config().isAutoRead());
      // one store completion per embedded-loop turn: when EmbeddedChannel runs many queued
      // completions in one runPendingTasks, it interleaves their header and payload writes (the
      // real event loop does not; the loopback tests check every byte of many concurrent answers)
      while (!queued.isEmpty()) {
        queued.poll().run();
        h.channel.runPendingTasks();
      }
      List<Frame> answers = h.received();
      answers.forEach(Frame::release);
      assertEquals(max, answers.size());
    }
  }
}
