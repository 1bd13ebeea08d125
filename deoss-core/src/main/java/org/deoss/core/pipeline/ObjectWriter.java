package org.deoss.core.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.crypto.SegmentCipher;
import org.deoss.core.hash.Fid;
import org.deoss.core.hash.Hash256;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.manifest.SegmentRef;
import org.deoss.core.placement.Placement;
import org.deoss.core.port.MinerDirectory;

/**
 * Writes objects: stream in, fragments out to miners, manifest back. Segment {@code i+1} is encoded
 * on the calling thread while up to {@code segmentsInFlight} earlier segments upload, so memory
 * stays at about {@code (segmentsInFlight + 1) × 3 + 2} segments whatever the object size.
 *
 * <p>Thread-safe: each call to {@link #write} has its own buffers; calls may run in parallel.
 */
public final class ObjectWriter {
  private final PipelineConfig config;
  private final FragmentUploader uploader;
  private final SecureRandom random;

  public ObjectWriter(
      PipelineConfig config, MinerDirectory miners, Placement placement, SecureRandom random) {
    this.config = config;
    this.uploader = new FragmentUploader(config, miners, placement);
    this.random = random;
  }

  /**
   * Reads {@code in} to its end and stores it as object {@code id} under data key {@code key}.
   *
   * @throws ObjectWriteException when a segment could not be stored on enough miners
   * @throws IOException when reading {@code in} fails
   */
  public WriteResult write(ObjectId id, DataKey key, InputStream in, ProgressListener progress)
      throws IOException {
    SegmentCipher cipher = SegmentCipher.create(key, id.toBytes(), config.chunkSize());
    SegmentEncoder encoder = new SegmentEncoder(config);
    BlockingQueue<EncodedSegment> pool = new ArrayBlockingQueue<>(config.segmentsInFlight() + 1);
    byte[] plain = new byte[config.segmentSize()];
    List<CompletableFuture<UploadedSegment>> uploads = new ArrayList<>();
    AtomicLong done = new AtomicLong();
    int workspaces = 0;
    long size = 0;
    for (int index = 0; ; index++) {
      int n = in.readNBytes(plain, 0, plain.length);
      if (n == 0) {
        break; // end of stream; an empty stream gives an object with no segments
      }
      EncodedSegment ws = pool.poll();
      if (ws == null && workspaces < config.segmentsInFlight() + 1) {
        ws = encoder.newWorkspace(cipher);
        workspaces++;
      }
      if (ws == null) {
        ws = awaitWorkspace(pool, uploads);
      }
      encoder.encode(cipher, index, plain, 0, n, random, ws);
      EncodedSegment used = ws;
      CompletableFuture<UploadedSegment> upload = uploader.upload(ws);
      upload.whenComplete(
          (r, e) -> {
            pool.add(used);
            if (e == null) {
              progress.progress(done.addAndGet(r.ref().plainLength()));
            }
          });
      uploads.add(upload);
      size += n;
      if (n < plain.length) {
        break;
      }
    }
    List<SegmentRef> segments = new ArrayList<>();
    List<Hash256> hashes = new ArrayList<>();
    List<WriteResult.MissingFragment> missing = new ArrayList<>();
    for (CompletableFuture<UploadedSegment> upload : uploads) {
      UploadedSegment s = await(upload);
      segments.add(s.ref());
      hashes.add(s.ref().hash());
      for (int f : s.missing()) {
        missing.add(new WriteResult.MissingFragment(s.ref().index(), f));
      }
    }
    Hash256 fid = hashes.isEmpty() ? ObjectManifest.EMPTY_FID : Fid.of(hashes);
    ObjectManifest manifest =
        new ObjectManifest(
            id,
            size,
            config.segmentSize(),
            config.dataShards(),
            config.parityShards(),
            config.chunkSize(),
            fid,
            segments);
    return new WriteResult(manifest, missing);
  }

  /** Waits for a free workspace, failing early if an upload already failed. */
  private static EncodedSegment awaitWorkspace(
      BlockingQueue<EncodedSegment> pool, List<CompletableFuture<UploadedSegment>> uploads)
      throws IOException {
    try {
      while (true) {
        EncodedSegment ws = pool.poll(50, TimeUnit.MILLISECONDS);
        if (ws != null) {
          return ws;
        }
        for (CompletableFuture<UploadedSegment> u : uploads) {
          if (u.isCompletedExceptionally()) {
            await(u);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for uploads");
    }
  }

  private static UploadedSegment await(CompletableFuture<UploadedSegment> upload)
      throws IOException {
    try {
      return upload.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for uploads");
    } catch (ExecutionException e) {
      Throwable cause = FragmentUploader.unwrap(e.getCause());
      if (cause instanceof ObjectWriteException owe) {
        throw new ObjectWriteException(owe.getMessage(), owe);
      }
      throw new ObjectWriteException("upload failed: " + cause, cause);
    }
  }
}
