package org.deoss.cache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.deoss.core.access.ObjectKeys;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.ledger.PutCondition;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.pipeline.ProgressListener;
import org.deoss.core.pipeline.SegmentSource;
import org.deoss.core.pipeline.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads one frozen entry and commits it on the ledger: a new object whole, an existing one by
 * rewriting its touched and resized segments, attributes alone when the data did not change. Each
 * version's readers follow {@link ObjectStore#policy()}: a rewrite keeps the readers of the base
 * version and its data key, unless the policy says the key must change (a reader was revoked or an
 * operator deauthorized since), in which case the whole object is written again under a new key.
 * Records the fid being committed in the journal before submitting, and recognises a commit that
 * already happened (after a restart) by that fid. Runs without the entry lock except to read the
 * staging file and fill segments.
 */
final class Committer {
  private static final Logger log = LoggerFactory.getLogger(Committer.class);

  private static final int MAX_NONCE_RETRIES = 5;

  private final ObjectStore store;
  private final BaseFill fill;
  private final Journal journal;
  private final AtomicLong bytesDone;

  Committer(ObjectStore store, BaseFill fill, Journal journal, AtomicLong bytesDone) {
    this.store = store;
    this.fill = fill;
    this.journal = journal;
    this.bytesDone = bytesDone;
  }

  /** What a flush commits, frozen when it starts. */
  record Snapshot(
      long size,
      boolean dataDirty,
      BitSet touched,
      PosixAttributes attributes,
      long dirtyBytes,
      StreamingUpload streamed) {}

  Entry.Base commit(Entry e, Snapshot snap) throws IOException {
    ObjectPath p = e.path;
    Hash256 pending;
    long baseVersion;
    long replaceVersion;
    e.lock.lock();
    try {
      pending = e.pendingFid;
      baseVersion = e.baseVersion;
      replaceVersion = e.replaceVersion;
    } finally {
      e.lock.unlock();
    }
    if (pending != null) {
      Optional<ObjectRecord> now = store.ledger().object(p.owner(), p.bucket(), p.key());
      if (now.isPresent() && now.get().manifest().fid().equals(pending)) {
        ObjectRecord r = now.get();
        log.info("{}: version {} was already committed before the restart", p, r.version());
        DataKey key =
            ObjectKeys.open(
                r.access(), r.manifest().objectId(), store.account(), store.encryption());
        return new Entry.Base(r.version(), r.manifest(), r.access(), key);
      }
    }
    ProgressListener progress = progressListener();
    if (baseVersion == 0) {
      WriteResult wr = streamed(p, snap.streamed(), progress);
      ObjectId id;
      DataKey key;
      if (wr != null) {
        id = snap.streamed().id;
        key = snap.streamed().key;
      } else {
        id = ObjectId.random(store.random());
        key = DataKey.generate(store.random());
        wr = store.writer().write(id, key, stagingStream(e, snap.size(), false), progress);
      }
      Access previous = replaceVersion == 0 ? null : currentAccess(p, replaceVersion);
      Access access = newAccess(p, previous, key, id);
      recordPending(e, wr.manifest().fid());
      Receipt r =
          submit(
              p,
              new Call.PutObject(
                  p.owner(),
                  p.bucket(),
                  p.key(),
                  wr.manifest(),
                  snap.attributes(),
                  access,
                  replaceVersion == 0
                      ? PutCondition.ifAbsent()
                      : PutCondition.ifVersion(replaceVersion)));
      return new Entry.Base(r.objectVersion(), wr.manifest(), access, key);
    }
    Entry.Base base;
    e.lock.lock();
    try {
      base = fill.base(e);
    } finally {
      e.lock.unlock();
    }
    if (!snap.dataDirty()) {
      submit(p, new Call.SetAttributes(p.owner(), p.bucket(), p.key(), snap.attributes()));
      return base;
    }
    Access baseAccess = currentAccess(p, base.version());
    if (baseAccess == null) {
      baseAccess = base.access();
    }
    WriteResult wr;
    DataKey key;
    Access access;
    if (store.policy().keyMustChange(baseAccess)) {
      log.info("{}: its data key is retired (a reader was removed); writing it anew", p);
      ObjectId id = ObjectId.random(store.random());
      key = DataKey.generate(store.random());
      wr = store.writer().write(id, key, stagingStream(e, snap.size(), true), progress);
      access = newAccess(p, baseAccess, key, id);
    } else {
      SegmentSource source = (index, buf, length) -> readSegment(e, index, buf, length);
      wr =
          store
              .writer()
              .rewrite(base.manifest(), base.key(), snap.size(), source, snap.touched(), progress);
      key = base.key();
      access = newAccess(p, baseAccess, key, wr.manifest().objectId());
    }
    recordPending(e, wr.manifest().fid());
    Receipt r =
        submit(
            p,
            new Call.PutObject(
                p.owner(),
                p.bucket(),
                p.key(),
                wr.manifest(),
                snap.attributes(),
                access,
                PutCondition.ifVersion(base.version())));
    return new Entry.Base(r.objectVersion(), wr.manifest(), access, key);
  }

  /**
   * What the upload that started while the file was written stored (its end is fixed by now), or
   * null when there was none or it broke: the caller then uploads the file the ordinary way.
   */
  private WriteResult streamed(ObjectPath p, StreamingUpload s, ProgressListener progress) {
    if (s == null) {
      return null;
    }
    s.runOnce(store.writer(), progress);
    try {
      return s.result.join();
    } catch (java.util.concurrent.CompletionException ex) {
      log.info("{}: {}; uploading it whole", p, ex.getCause().getMessage());
      return null;
    }
  }

  /** The ledger's access record of {@code p} if it is still at {@code version}, else null. */
  private Access currentAccess(ObjectPath p, long version) {
    return store
        .ledger()
        .object(p.owner(), p.bucket(), p.key())
        .filter(o -> o.version() == version)
        .map(ObjectRecord::access)
        .orElse(null);
  }

  private Access newAccess(ObjectPath p, Access previous, DataKey key, ObjectId id)
      throws IOException {
    try {
      return store.policy().newVersion(previous, key, id);
    } catch (org.deoss.core.access.MissingKeyException ex) {
      throw new IOException("cannot keep " + p + " shared: " + ex.getMessage(), ex);
    }
  }

  ProgressListener progressListener() {
    long[] last = {0};
    return done -> {
      synchronized (last) {
        bytesDone.addAndGet(done - last[0]);
        last[0] = done;
      }
    };
  }

  private void readSegment(Entry e, int index, byte[] buf, int length) throws IOException {
    readFilled(e, (long) index * e.segmentSize, buf, 0, length);
  }

  /** Reads staged bytes, first fetching the base segments that are not staged. */
  private void readFilled(Entry e, long from, byte[] buf, int off, int length) throws IOException {
    e.lock.lock();
    try {
      fill.ensurePresent(e, from, from + length);
      e.readStaging(from, ByteBuffer.wrap(buf, off, length));
    } finally {
      e.lock.unlock();
    }
  }

  /**
   * The object's first {@code size} bytes as the entry holds them: straight from the staging file
   * (a new object is staged whole), or with {@code fetchBase} the base version's segments fetched
   * where they are not staged.
   */
  private InputStream stagingStream(Entry e, long size, boolean fetchBase) {
    return new InputStream() {
      private long pos;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (pos >= size) {
          return -1;
        }
        int n = (int) Math.min(len, size - pos);
        if (fetchBase) {
          readFilled(e, pos, b, off, n);
        } else {
          e.readStaging(pos, ByteBuffer.wrap(b, off, n));
        }
        pos += n;
        return n;
      }
    };
  }

  private void recordPending(Entry e, Hash256 fid) throws IOException {
    e.lock.lock();
    try {
      e.pendingFid = fid;
      journal.write(e.record(true), Journal.Durability.MACHINE);
    } finally {
      e.lock.unlock();
    }
  }

  Receipt submit(ObjectPath p, Call call) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        java.util.concurrent.CompletableFuture<Receipt> f;
        // Signing and submitting must not interleave between threads, or a later nonce can reach
        // the ledger first; waiting for the receipt needs no lock.
        synchronized (store.tx()) {
          f = store.tx().submit(call);
        }
        return f.join();
      } catch (java.util.concurrent.CompletionException ce) {
        Throwable cause = ce.getCause();
        if (cause instanceof LedgerRejection r) {
          if (r.reason() == LedgerRejection.Reason.BAD_NONCE && attempt < MAX_NONCE_RETRIES) {
            continue; // another rejection made our nonce stale; the builder has re-read it
          }
          throw rejected(p, r);
        }
        throw new IOException("commit of " + p + " failed: " + cause.getMessage(), cause);
      } catch (LedgerRejection r) {
        throw rejected(p, r);
      } catch (RuntimeException ex) {
        throw new IOException("commit of " + p + " failed: " + ex.getMessage(), ex);
      }
    }
  }

  private static IOException rejected(ObjectPath p, LedgerRejection r) {
    if (r.reason() == LedgerRejection.Reason.VERSION_CONFLICT
        || r.reason() == LedgerRejection.Reason.OBJECT_EXISTS) {
      return new VersionConflictException(
          p, p + " was changed by someone else; local bytes kept: " + r.getMessage(), r);
    }
    return new IOException("the ledger refused the commit of " + p + ": " + r.getMessage(), r);
  }
}
