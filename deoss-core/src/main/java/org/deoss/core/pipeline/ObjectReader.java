package org.deoss.core.pipeline;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.crypto.SegmentCipher;
import org.deoss.core.crypto.TamperedDataException;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.manifest.SegmentRef;
import org.deoss.core.port.MinerDirectory;

/**
 * Reads objects back: gathers k healthy fragments per segment ({@link FragmentFetcher}), rebuilds
 * missing data fragments only when it must, decrypts (which authenticates every chunk), and
 * delivers plaintext. Whole-object and ranged reads fetch the next segment while the current one is
 * delivered.
 *
 * <p>Decoding and decryption run on {@code cpu}, never on the thread that completed a fragment
 * request (which may be a network event loop). Thread-safe.
 */
public final class ObjectReader {
  private final FragmentFetcher fetcher;
  private final RangeFetch ranges;
  private final Executor cpu;

  /** One decoder per code (k, m), so decode plans cached by the codec are reused. */
  private final ConcurrentMap<Integer, SegmentDecoder> decoders = new ConcurrentHashMap<>();

  public ObjectReader(
      MinerDirectory miners,
      ScheduledExecutorService scheduler,
      Duration hedgeDelay,
      Executor cpu) {
    this.fetcher = new FragmentFetcher(miners, scheduler, hedgeDelay);
    this.ranges = new RangeFetch(miners, cpu, hedgeDelay.multipliedBy(4).plusSeconds(1));
    this.cpu = cpu;
  }

  /**
   * Plaintext bytes {@code [from, from+length)} of segment {@code index}, for small random reads:
   * only the encrypted chunks covering the range are fetched, as byte ranges of the data fragments
   * that hold them (one 64 KiB chunk for a 4 KiB read, instead of the whole segment). Every chunk
   * is authenticated. When a range read fails (a miner down or slow, bytes that do not
   * authenticate) the whole segment is read instead, with parity and hedging, so the result is the
   * same as slicing {@link #readSegment}.
   *
   * @throws IllegalArgumentException (in the future) when the range is not inside the segment
   */
  public CompletableFuture<byte[]> readRange(
      ObjectManifest manifest, DataKey key, int index, int from, int length) {
    if (index < 0 || index >= manifest.segments().size()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "segment " + index + " outside 0.." + (manifest.segments().size() - 1)));
    }
    SegmentRef segment = manifest.segments().get(index);
    if (from < 0 || length < 0 || from > segment.plainLength() - length) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "range ["
                  + from
                  + ", "
                  + ((long) from + length)
                  + ") is not inside segment "
                  + index
                  + " of "
                  + segment.plainLength()
                  + " bytes"));
    }
    SegmentCipher cipher =
        SegmentCipher.create(key, manifest.objectId().toBytes(), manifest.chunkSize());
    return ranges
        .read(segment, manifest.dataShards(), cipher, from, length)
        .thenCompose(
            plain ->
                plain != null
                    ? CompletableFuture.completedFuture(plain)
                    : readSegment(manifest, cipher, index)
                        .thenApply(
                            whole -> java.util.Arrays.copyOfRange(whole, from, from + length)));
  }

  /** The plaintext of segment {@code index}, exactly {@code plainLength} bytes. */
  public CompletableFuture<byte[]> readSegment(ObjectManifest manifest, DataKey key, int index) {
    SegmentCipher cipher =
        SegmentCipher.create(key, manifest.objectId().toBytes(), manifest.chunkSize());
    return readSegment(manifest, cipher, index);
  }

  private CompletableFuture<byte[]> readSegment(
      ObjectManifest manifest, SegmentCipher cipher, int index) {
    if (index < 0 || index >= manifest.segments().size()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "segment " + index + " outside 0.." + (manifest.segments().size() - 1)));
    }
    SegmentRef segment = manifest.segments().get(index);
    return fetcher
        .gather(segment, manifest.dataShards())
        .thenApplyAsync(g -> decode(decoderFor(manifest), segment, g, cipher), cpu);
  }

  private SegmentDecoder decoderFor(ObjectManifest m) {
    return decoders.computeIfAbsent(
        m.dataShards() << 8 | m.parityShards(),
        key -> new SegmentDecoder(m.dataShards(), m.parityShards()));
  }

  private static byte[] decode(
      SegmentDecoder decoder,
      SegmentRef segment,
      FragmentFetcher.Gathered g,
      SegmentCipher cipher) {
    byte[] plain = new byte[segment.plainLength()];
    try {
      decoder.decode(
          cipher,
          segment.index(),
          segment.plainLength(),
          segment.encryptedLength(),
          segment.fragments().get(0).length(),
          g.shards(),
          g.present(),
          plain);
    } catch (TamperedDataException e) {
      throw new CompletionException(
          new ObjectReadException(
              "segment " + segment.index() + " failed authentication: " + e.getMessage(), e));
    }
    return plain;
  }

  /** Writes the whole object to {@code out}. */
  public void readAll(ObjectManifest manifest, DataKey key, OutputStream out, ProgressListener p)
      throws IOException {
    read(manifest, key, 0, manifest.size(), out, p);
  }

  /**
   * Writes plaintext bytes {@code [offset, offset+length)} of the object to {@code out}.
   *
   * @throws ObjectReadException when a segment cannot be read or fails authentication
   * @throws IllegalArgumentException when the range is outside the object
   */
  public void read(
      ObjectManifest manifest,
      DataKey key,
      long offset,
      long length,
      OutputStream out,
      ProgressListener progress)
      throws IOException {
    if (offset < 0 || length < 0 || offset + length > manifest.size()) {
      throw new IllegalArgumentException(
          "range ["
              + offset
              + ", "
              + (offset + length)
              + ") is outside the object's "
              + manifest.size()
              + " bytes");
    }
    if (length == 0) {
      return;
    }
    SegmentCipher cipher =
        SegmentCipher.create(key, manifest.objectId().toBytes(), manifest.chunkSize());
    int first = manifest.segmentOf(offset);
    int last = manifest.segmentOf(offset + length - 1);
    long segmentSize = manifest.segmentSize();
    CompletableFuture<byte[]> current = readSegment(manifest, cipher, first);
    long delivered = 0;
    for (int s = first; s <= last; s++) {
      CompletableFuture<byte[]> ahead = s < last ? readSegment(manifest, cipher, s + 1) : null;
      byte[] plain = await(current);
      long segStart = s * segmentSize;
      int from = (int) Math.max(0, offset - segStart);
      int to = (int) Math.min(plain.length, offset + length - segStart);
      out.write(plain, from, to - from);
      delivered += to - from;
      progress.progress(delivered);
      current = ahead;
    }
  }

  private static byte[] await(CompletableFuture<byte[]> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading");
    } catch (ExecutionException e) {
      Throwable cause = FragmentUploader.unwrap(e.getCause());
      if (cause instanceof ObjectReadException ore) {
        throw new ObjectReadException(ore.getMessage(), ore);
      }
      throw new ObjectReadException("read failed: " + cause, cause);
    }
  }
}
