package org.deoss.core.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
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
 * Writes objects: plaintext in, fragments out to miners, manifest back. Segment {@code i+1} is
 * encoded on the calling thread while up to {@code segmentsInFlight} earlier segments upload, so
 * memory stays at about {@code (segmentsInFlight + 1) × 3 + 2} segments whatever the object size.
 *
 * <p>{@link #write} stores a new object from a stream; {@link #rewrite} stores a new version of an
 * existing one, re-encoding only the segments an edit touched (and those whose length changed) and
 * keeping the fragments of the others.
 *
 * <p>Thread-safe: each call has its own buffers; calls may run in parallel.
 */
public final class ObjectWriter {
  /** Bytes read before the buffer starts to grow towards a whole segment. */
  private static final int FIRST_READ = 256 << 10;

  private final PipelineConfig config;
  private final MinerDirectory miners;
  private final Placement placement;
  private final SecureRandom random;

  public ObjectWriter(
      PipelineConfig config, MinerDirectory miners, Placement placement, SecureRandom random) {
    this.config = config;
    this.miners = miners;
    this.placement = placement;
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
    Session session = new Session(config, id, key, progress);
    // The buffer grows with what the stream holds, up to one segment: small objects stay small.
    byte[] plain = new byte[Math.min(config.segmentSize(), FIRST_READ)];
    long size = 0;
    for (int index = 0; ; index++) {
      int n = in.readNBytes(plain, 0, plain.length);
      while (n == plain.length && plain.length < config.segmentSize()) {
        plain = Arrays.copyOf(plain, (int) Math.min(config.segmentSize(), 4L * plain.length));
        n += in.readNBytes(plain, n, plain.length - n);
      }
      if (n == 0) {
        break; // end of stream; an empty stream gives an object with no segments
      }
      session.encode(index, plain, n);
      size += n;
      if (n < plain.length) {
        break;
      }
    }
    return session.finish(size);
  }

  /**
   * Stores a new version of {@code base}'s object, {@code newSize} bytes long, whose plaintext
   * {@code source} provides. Segment {@code i} is re-encoded when {@code touched.get(i)}, when it
   * is new, or when its length changed; every other segment keeps its fragments. The new version
   * keeps the base's object id, segment size and code.
   *
   * @throws ObjectWriteException when a segment could not be stored on enough miners
   * @throws IOException when {@code source} fails
   */
  public WriteResult rewrite(
      ObjectManifest base,
      DataKey key,
      long newSize,
      SegmentSource source,
      BitSet touched,
      ProgressListener progress)
      throws IOException {
    if (newSize < 0) {
      throw new IllegalArgumentException("new size must not be negative, got " + newSize);
    }
    PipelineConfig layout =
        config
            .withSegmentSize(base.segmentSize())
            .withCoding(base.dataShards(), base.parityShards());
    Session session = new Session(layout, base.objectId(), key, progress);
    long count = ObjectManifest.segmentCount(newSize, base.segmentSize());
    byte[] plain = null;
    for (int index = 0; index < count; index++) {
      int length = (int) Math.min(base.segmentSize(), newSize - (long) index * base.segmentSize());
      boolean reusable =
          index < base.segments().size()
              && !touched.get(index)
              && base.segments().get(index).plainLength() == length;
      if (reusable) {
        session.reuse(base.segments().get(index));
        continue;
      }
      if (plain == null || plain.length < length) {
        plain = new byte[length];
      }
      source.read(index, plain, length);
      session.encode(index, plain, length);
    }
    return session.finish(newSize);
  }

  /** One object version being written: the cipher, encoder, workspace pool and uploads. */
  private final class Session {
    private final PipelineConfig layout;
    private final ObjectId id;
    private final SegmentCipher cipher;
    private final SegmentEncoder encoder;
    private final FragmentUploader uploader;
    private final ProgressListener progress;
    private final BlockingQueue<EncodedSegment> pool;
    private final List<CompletableFuture<UploadedSegment>> uploads = new ArrayList<>();
    private final AtomicLong done = new AtomicLong();
    private int workspaces;

    Session(PipelineConfig layout, ObjectId id, DataKey key, ProgressListener progress) {
      this.layout = layout;
      this.id = id;
      this.cipher = SegmentCipher.create(key, id.toBytes(), layout.chunkSize());
      this.encoder = new SegmentEncoder(layout);
      this.uploader = new FragmentUploader(layout, miners, placement);
      this.progress = progress;
      this.pool = new ArrayBlockingQueue<>(layout.segmentsInFlight() + 1);
    }

    /** Keeps an unchanged segment of the previous version. */
    void reuse(SegmentRef segment) {
      uploads.add(CompletableFuture.completedFuture(new UploadedSegment(segment, List.of())));
      progress.progress(done.addAndGet(segment.plainLength()));
    }

    /** Encodes segment {@code index} from {@code plain[0, n)} and starts storing it. */
    void encode(int index, byte[] plain, int n) throws IOException {
      EncodedSegment ws = pool.poll();
      if (ws == null && workspaces < layout.segmentsInFlight() + 1) {
        ws = encoder.newWorkspace(cipher, n);
        workspaces++;
      }
      if (ws == null) {
        ws = awaitWorkspace();
      }
      if (!encoder.fits(ws, cipher, n)) {
        ws = encoder.newWorkspace(cipher, n); // a bigger segment than before: replace the small one
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
    }

    WriteResult finish(long size) throws IOException {
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
              layout.segmentSize(),
              layout.dataShards(),
              layout.parityShards(),
              layout.chunkSize(),
              fid,
              segments);
      return new WriteResult(manifest, missing);
    }

    /** Waits for a free workspace, failing early if an upload already failed. */
    private EncodedSegment awaitWorkspace() throws IOException {
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
