package org.deoss.core.pipeline;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.deoss.core.crypto.ChunkLayout;
import org.deoss.core.crypto.SegmentCipher;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.SegmentRef;
import org.deoss.core.port.MinerDirectory;

/**
 * A small plaintext range of one segment read without fetching the segment: the code is systematic,
 * so data fragment {@code i} holds bytes {@code [i*L, (i+1)*L)} of the encrypted segment (L the
 * fragment length). The segment header and the encrypted chunks covering the range are fetched as
 * byte ranges of the data fragments that hold them, and decrypted; GCM authenticates every chunk
 * and the header binds the object, segment and lengths, so a wrong or tampered byte fails the read.
 * A range read that fails for any reason (a miner down or slow, bad bytes) completes with {@code
 * null}, and the caller falls back to the full, hedged, verified segment read.
 */
final class RangeFetch {
  private final MinerDirectory miners;
  private final Executor cpu;
  private final Duration timeout;

  RangeFetch(MinerDirectory miners, Executor cpu, Duration timeout) {
    this.miners = miners;
    this.cpu = cpu;
    this.timeout = timeout;
  }

  /** A piece of the encrypted segment: {@code length} bytes at {@code offset}. */
  private record Piece(int offset, int length) {}

  /**
   * Plaintext bytes {@code [from, from+length)} of {@code segment}, or {@code null} (never an
   * exception) when the range read did not work and the caller must read the whole segment.
   */
  CompletableFuture<byte[]> read(
      SegmentRef segment, int dataShards, SegmentCipher cipher, int from, int length) {
    int fragmentLength = segment.fragments().get(0).length();
    if (fragmentLength < SegmentCipher.HEADER_LENGTH || length == 0) {
      return CompletableFuture.completedFuture(null);
    }
    ChunkLayout layout = cipher.layout(segment.plainLength());
    ChunkLayout.Span span = layout.encryptedSpan(from, length);
    List<Piece> wanted = new ArrayList<>(2);
    if (span.offset() == SegmentCipher.HEADER_LENGTH) {
      wanted.add(new Piece(0, SegmentCipher.HEADER_LENGTH + span.length()));
    } else {
      wanted.add(new Piece(0, SegmentCipher.HEADER_LENGTH));
      wanted.add(new Piece(span.offset(), span.length()));
    }
    byte[] enc = new byte[SegmentCipher.HEADER_LENGTH + span.length()];
    List<CompletableFuture<Void>> parts = new ArrayList<>();
    int at = 0;
    for (Piece p : wanted) {
      int done = 0;
      while (done < p.length()) {
        int encOffset = p.offset() + done;
        int shard = encOffset / fragmentLength;
        if (shard >= dataShards) {
          return CompletableFuture.completedFuture(null);
        }
        int within = encOffset % fragmentLength;
        int n = Math.min(p.length() - done, fragmentLength - within);
        FragmentRef f = segment.fragments().get(shard);
        int dest = at + done;
        parts.add(
            miners
                .store(f.miner())
                .get(f.hash(), within, n)
                .thenAccept(buf -> copy(buf, enc, dest, n)));
        done += n;
      }
      at += p.length();
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .thenApplyAsync(
            ignored -> {
              byte[] plain = new byte[length];
              cipher.decryptRange(segment.index(), enc, 0, enc.length, from, length, plain, 0);
              return plain;
            },
            cpu)
        .exceptionally(e -> null);
  }

  private static void copy(ByteBuffer buf, byte[] dst, int at, int n) {
    if (buf.remaining() != n) {
      throw new IllegalStateException("asked for " + n + " bytes, got " + buf.remaining());
    }
    buf.duplicate().get(dst, at, n);
  }
}
