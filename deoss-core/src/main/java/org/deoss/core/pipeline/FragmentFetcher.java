package org.deoss.core.pipeline;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.SegmentRef;
import org.deoss.core.port.MinerDirectory;

/**
 * Gathers k healthy fragments of a segment. Asks for the k data fragments first (a systematic code
 * needs no decoding then); each failure, each fragment that does not match its id, and each {@code
 * hedgeDelay} without completion starts a request for the next fragment not yet asked for, parity
 * ones last. Fails when every fragment has been tried and fewer than k were healthy, naming what
 * happened to each.
 */
final class FragmentFetcher {
  private final MinerDirectory miners;
  private final ScheduledExecutorService scheduler;
  private final Duration hedgeDelay;

  FragmentFetcher(MinerDirectory miners, ScheduledExecutorService scheduler, Duration hedgeDelay) {
    this.miners = miners;
    this.scheduler = scheduler;
    this.hedgeDelay = hedgeDelay;
  }

  /** The fragments gathered: {@code shards[i]} is set where {@code present[i]}. */
  record Gathered(byte[][] shards, boolean[] present, int fetched) {}

  CompletableFuture<Gathered> gather(SegmentRef segment, int dataShards) {
    Gathering g = new Gathering(segment, dataShards);
    g.start();
    return g.result;
  }

  private final class Gathering {
    private final SegmentRef segment;
    private final int k;
    private final int n;
    private final byte[][] shards;
    private final boolean[] present;
    private final StringBuilder problems = new StringBuilder();
    private final CompletableFuture<Gathered> result = new CompletableFuture<>();
    private int next;
    private int inFlight;
    private int healthy;
    private ScheduledFuture<?> hedge;

    Gathering(SegmentRef segment, int k) {
      this.segment = segment;
      this.k = k;
      this.n = segment.fragments().size();
      this.shards = new byte[n][];
      this.present = new boolean[n];
    }

    void start() {
      int first;
      synchronized (this) {
        first = Math.min(k, n);
        next = first;
        inFlight = first;
      }
      for (int i = 0; i < first; i++) {
        fetch(i);
      }
      scheduleHedge();
    }

    private void scheduleHedge() {
      if (hedgeDelay.isZero() || result.isDone()) {
        return;
      }
      ScheduledFuture<?> h =
          scheduler.schedule(this::onHedge, hedgeDelay.toNanos(), TimeUnit.NANOSECONDS);
      synchronized (this) {
        hedge = h;
      }
    }

    private void onHedge() {
      int launch = claimNext();
      if (launch >= 0) {
        fetch(launch);
        scheduleHedge();
      }
    }

    /** Reserves the next fragment to ask for, or -1 when done or none is left. */
    private synchronized int claimNext() {
      if (result.isDone() || next >= n) {
        return -1;
      }
      inFlight++;
      return next++;
    }

    private void fetch(int index) {
      FragmentRef f = segment.fragments().get(index);
      CompletableFuture<ByteBuffer> request;
      try {
        // Ask for exactly the length the manifest gives: the answer then lands in one array of
        // that size, instead of one that grows by doubling and is copied again to its length.
        request = miners.store(f.miner()).get(f.hash(), 0, f.length());
      } catch (RuntimeException e) {
        request = CompletableFuture.failedFuture(e);
      }
      request.whenComplete((buf, error) -> onResult(index, f, buf, error));
    }

    private void onResult(int index, FragmentRef f, ByteBuffer buf, Throwable error) {
      byte[] data = null;
      String problem = null;
      if (error != null) {
        problem = String.valueOf(FragmentUploader.unwrap(error).getMessage());
      } else {
        data = toArray(buf);
        if (data.length != f.length()) {
          problem = "has " + data.length + " bytes, expected " + f.length();
        } else {
          Hash256 root = FragmentMerkle.root(data, 0, data.length);
          if (!root.equals(f.hash())) {
            problem = "corrupt: its bytes do not match its id";
          }
        }
      }
      Gathered done = null;
      String failure = null;
      int launch = -1;
      synchronized (this) {
        inFlight--;
        if (result.isDone()) {
          return;
        }
        if (problem == null) {
          shards[index] = data;
          present[index] = true;
          healthy++;
          if (healthy >= k) {
            done = new Gathered(shards, present, next);
          }
        } else {
          problems
              .append("; fragment ")
              .append(index)
              .append(" on ")
              .append(f.miner())
              .append(": ")
              .append(problem);
          if (next < n) {
            inFlight++;
            launch = next++;
          }
        }
        // Whatever the last answer was: nothing left to ask and nothing on the way is a failure.
        if (done == null && launch < 0 && next >= n && inFlight == 0) {
          failure =
              "segment "
                  + segment.index()
                  + ": only "
                  + healthy
                  + " of the "
                  + k
                  + " fragments needed could be read"
                  + problems;
        }
        if ((done != null || failure != null) && hedge != null) {
          hedge.cancel(false);
        }
      }
      if (done != null) {
        result.complete(done);
      } else if (failure != null) {
        result.completeExceptionally(new ObjectReadException(failure));
      } else if (launch >= 0) {
        fetch(launch);
      }
    }
  }

  private static byte[] toArray(ByteBuffer buf) {
    if (buf.hasArray()
        && buf.arrayOffset() == 0
        && buf.position() == 0
        && buf.remaining() == buf.array().length) {
      return buf.array();
    }
    byte[] out = new byte[buf.remaining()];
    buf.duplicate().get(out);
    return out;
  }
}
