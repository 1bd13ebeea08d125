package org.deoss.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.deoss.cache.FileHandle;
import org.deoss.cache.ObjectPath;
import org.deoss.cache.OpenFlag;
import org.deoss.cache.SegmentCache;
import org.deoss.cache.WriteBackCache.PendingFile;
import org.deoss.core.access.NotAReaderException;
import org.deoss.core.access.ObjectKeys;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.Names;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.ledger.SpaceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.ErrorCodes;

/**
 * The file system in Java types: every POSIX operation of the mount over the write-back cache, the
 * metadata and segment caches and the ledger. Failures are thrown as {@link FsException} (or as the
 * cache's and ledger's own exceptions, which {@link ErrnoTable} maps); nothing here knows FUSE
 * structs.
 *
 * <p><b>Layout.</b> Keys with "/" are folders. A folder made with mkdir is a marker key {@code
 * dir/} whose attributes are the folder's; a prefix without a marker is an implicit folder (mode
 * 0755). When the last entry of an implicit folder goes, a marker is written so that the folder
 * stays, as it would on a local disk. Buckets and the root have no attributes of their own: chmod,
 * chown and utimens on them succeed and change nothing (rsync -a sets them on its target).
 *
 * <p><b>Threads.</b> Every method may be called on any libfuse thread at once. Namespace changes
 * hold {@link PathLocks} on the names they touch; file data is serialized by the cache.
 */
final class FsCore {
  static final int O_ACCMODE = 03;
  static final int O_CREAT = 0100;
  static final int O_EXCL = 0200;
  static final int O_TRUNC = 01000;
  static final int O_APPEND = 02000;
  static final int XATTR_CREATE = 1;
  static final int XATTR_REPLACE = 2;

  /** {@code chown} passes -1 (unchanged) as this unsigned value. */
  static final long UNCHANGED_ID = 4294967295L;

  private static final Logger log = LoggerFactory.getLogger(FsCore.class);

  private final Namespace ns;
  private final SegmentCache segments;
  private final SpaceGuard space;
  private final PathLocks locks = new PathLocks(256);
  private final int defaultUid;
  private final int defaultGid;
  private final long startNanos;
  private final AtomicLong nextHandle = new AtomicLong(1);
  private final ConcurrentHashMap<Long, OpenFile> files = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, DirStream> dirs = new ConcurrentHashMap<>();
  private final java.util.concurrent.Executor flushers;

  /**
   * @param flushers run the uploads that a folder rename waits for, several at once
   */
  FsCore(
      Namespace ns,
      SegmentCache segments,
      SpaceGuard space,
      int defaultUid,
      int defaultGid,
      java.util.concurrent.Executor flushers) {
    this.flushers = flushers;
    this.ns = ns;
    this.segments = segments;
    this.space = space;
    this.defaultUid = defaultUid;
    this.defaultGid = defaultGid;
    this.startNanos = ns.nowNanos();
  }

  FsPath map(String path) throws FsException {
    return ns.mapper.map(path);
  }

  /** {@link #map} for an operation that changes something: EROFS below shared-with-me. */
  private FsPath mapWritable(String path) throws FsException {
    FsPath p = map(path);
    if (p.isShared()) {
      throw Errno.readOnly(p);
    }
    return p;
  }

  // ---------------------------------------------------------------- attributes

  Stat getattr(String path) throws IOException {
    return stat(ns.require(map(path)));
  }

  /** getattr of an open file: its size and attributes as written so far. */
  Stat fgetattr(String path, long fh) throws IOException {
    OpenFile f = files.get(fh);
    if (f == null) {
      return getattr(path);
    }
    PosixAttributes a = f.attributes();
    return new Stat(
        Attrs.type(a.mode()) | (a.mode() & 07777),
        a.uid(),
        a.gid(),
        f.size(),
        a.mtimeNanos(),
        a.ctimeNanos(),
        1);
  }

  private Stat stat(Node n) {
    PosixAttributes a = n.attributes();
    switch (n.type()) {
      case ROOT:
      case BUCKET:
      case IMPLICIT_DIR:
        return new Stat(Attrs.S_IFDIR | 0755, defaultUid, defaultGid, 0, startNanos, startNanos, 2);
      case SHARED_DIR:
        return new Stat(Attrs.S_IFDIR | 0555, defaultUid, defaultGid, 0, startNanos, startNanos, 2);
      case SHARED_FILE:
        return new Stat(
            Attrs.S_IFREG | 0444,
            defaultUid,
            defaultGid,
            n.size(),
            a.mtimeNanos(),
            a.ctimeNanos(),
            1);
      case MARKED_DIR:
        return new Stat(
            Attrs.S_IFDIR | (a.mode() & 07777),
            a.uid(),
            a.gid(),
            0,
            a.mtimeNanos(),
            a.ctimeNanos(),
            2);
      case SYMLINK:
        return new Stat(
            Attrs.S_IFLNK | 0777,
            a.uid(),
            a.gid(),
            a.symlinkTarget().getBytes(StandardCharsets.UTF_8).length,
            a.mtimeNanos(),
            a.ctimeNanos(),
            1);
      default:
        return new Stat(
            Attrs.S_IFREG | (a.mode() & 07777),
            a.uid(),
            a.gid(),
            n.size(),
            a.mtimeNanos(),
            a.ctimeNanos(),
            1);
    }
  }

  void access(String path) throws IOException {
    ns.require(map(path));
  }

  void chmod(String path, int mode) throws IOException {
    long now = ns.nowNanos();
    changeAttributes(mapWritable(path), a -> Attrs.withMode(a, mode, now));
  }

  void chown(String path, long uid, long gid) throws IOException {
    long now = ns.nowNanos();
    changeAttributes(
        mapWritable(path),
        a ->
            Attrs.withOwner(
                a,
                uid == UNCHANGED_ID || uid < 0 ? a.uid() : (int) uid,
                gid == UNCHANGED_ID || gid < 0 ? a.gid() : (int) gid,
                now));
  }

  /** Sets the mtime (atime is not kept); the mtime then survives flushes and renames. */
  void utimens(String path, long mtimeNanos) throws IOException {
    long now = ns.nowNanos();
    changeAttributes(mapWritable(path), a -> Attrs.withMtime(a, mtimeNanos, now));
  }

  void setxattr(String path, String name, byte[] value, int flags) throws IOException {
    if (!name.startsWith("user.")) {
      throw Errno.notSupported("only user.* extended attributes are stored, not " + name);
    }
    Node n = ns.require(mapWritable(path));
    if (n.type() == Node.Type.ROOT || n.type() == Node.Type.BUCKET) {
      throw Errno.notSupported("a bucket or the root has no extended attributes: " + path);
    }
    PosixAttributes current = n.attributes();
    boolean exists = current != null && current.xattr(name) != null;
    if ((flags & XATTR_CREATE) != 0 && exists) {
      throw Errno.exists(path + " xattr " + name);
    }
    if ((flags & XATTR_REPLACE) != 0 && !exists) {
      throw Errno.noData(path + " has no xattr " + name);
    }
    long now = ns.nowNanos();
    try {
      Attrs.withXattr(current == null ? dirAttributes(now) : current, name, value, now);
    } catch (IllegalArgumentException e) {
      throw new FsException(ErrorCodes.ENOSPC(), path + ": " + e.getMessage());
    }
    changeAttributes(n, a -> Attrs.withXattr(a, name, value, now));
  }

  byte[] getxattr(String path, String name) throws IOException {
    Node n = ns.require(map(path));
    byte[] v = n.attributes() == null ? null : n.attributes().xattr(name);
    if (v == null) {
      throw Errno.noData(path + " has no xattr " + name);
    }
    return v;
  }

  List<String> listxattr(String path) throws IOException {
    Node n = ns.require(map(path));
    return n.attributes() == null ? List.of() : new ArrayList<>(n.attributes().xattrNames());
  }

  void removexattr(String path, String name) throws IOException {
    Node n = ns.require(mapWritable(path));
    if (n.attributes() == null || n.attributes().xattr(name) == null) {
      throw Errno.noData(path + " has no xattr " + name);
    }
    long now = ns.nowNanos();
    changeAttributes(n, a -> Attrs.withXattr(a, name, null, now));
  }

  private void changeAttributes(FsPath p, UnaryOperator<PosixAttributes> change)
      throws IOException {
    changeAttributes(ns.require(p), change);
  }

  private void changeAttributes(Node n, UnaryOperator<PosixAttributes> change) throws IOException {
    ObjectPath target;
    switch (n.type()) {
      case ROOT:
      case BUCKET:
        return; // no attributes of their own; see the class comment
      case IMPLICIT_DIR:
        writeMarker(n.path(), change.apply(dirAttributes(ns.nowNanos())));
        return;
      case MARKED_DIR:
        target = ns.marker(n.path());
        break;
      default:
        target = ns.object(n.path());
    }
    if (ns.cache.setAttributes(target, change)) {
      return;
    }
    ObjectRecord rec =
        ns.store
            .ledger()
            .object(target.owner(), target.bucket(), target.key())
            .orElseThrow(() -> Errno.noEntry(n.path()));
    ns.submit(
        new Call.SetAttributes(
            target.owner(), target.bucket(), target.key(), change.apply(rec.attributes())));
    ns.meta.invalidate(target);
  }

  private PosixAttributes dirAttributes(long now) {
    return Attrs.create(Attrs.S_IFDIR | 0755, defaultUid, defaultGid, now, "");
  }

  FsStatfs statfs() {
    SpaceInfo s = space.info();
    long blocks = s.purchasedBytes() / FsStatfs.BLOCK;
    long free = s.freeBytes() / FsStatfs.BLOCK;
    return new FsStatfs(blocks, free, 1L << 32, 1L << 31);
  }

  // ---------------------------------------------------------------- folders

  void mkdir(String path, int mode, int uid, int gid) throws IOException {
    FsPath p = mapWritable(path);
    if (p.isRoot()) {
      throw Errno.exists(p);
    }
    try (PathLocks.Held l = locks.lock(p, null)) {
      if (p.isBucket()) {
        if (ns.mapper.singleBucket() || ns.resolve(p).isPresent()) {
          throw Errno.exists(p);
        }
        ns.submit(new Call.CreateBucket(ns.store.account(), p.bucket()));
        ns.bucketsChanged();
        return;
      }
      refuseBadRootFolder(p);
      if (ns.resolve(p).isPresent()) {
        throw Errno.exists(p);
      }
      requireParent(p);
      if (p.bucket().equals(ns.mapper.reservedBucket()) && !ns.mapper.singleBucket()) {
        ns.ensureReservedBucket();
      }
      writeMarker(p, Attrs.create(Attrs.S_IFDIR | (mode & 07777), uid, gid, ns.nowNanos(), ""));
    }
  }

  /** A folder at the root that is neither a bucket nor a dot-folder: EINVAL with the reason. */
  private void refuseBadRootFolder(FsPath p) throws FsException {
    if (ns.mapper.singleBucket()
        || !p.bucket().equals(ns.mapper.reservedBucket())
        || p.key().contains("/")
        || p.key().startsWith(".")) {
      return;
    }
    String why =
        p.key().equals(ns.mapper.reservedBucket())
            ? "'" + p.key() + "' is reserved for the mount's own entries"
            : Names.bucketNameProblem(p.key());
    log.warn("mkdir {}: a folder at the root is a bucket, and {}", p, why);
    throw Errno.invalid("mkdir " + p + ": " + why);
  }

  private void writeMarker(FsPath p, PosixAttributes attrs) throws IOException {
    ObjectPath marker = ns.marker(p);
    try (FileHandle h =
        ns.cache.open(marker, EnumSet.of(OpenFlag.CREATE, OpenFlag.EXCLUSIVE), attrs)) {
      if (!h.attributes().equals(attrs)) {
        h.setAttributes(a -> attrs);
      }
    }
    ns.meta.invalidate(marker);
  }

  void rmdir(String path) throws IOException {
    FsPath p = mapWritable(path);
    if (p.isRoot() || (p.isBucket() && ns.mapper.singleBucket())) {
      throw new FsException(ErrorCodes.EBUSY(), "cannot remove the mount's root " + p);
    }
    try (PathLocks.Held l = locks.lock(p, null)) {
      Node n = ns.requireDir(p);
      if (n.type() == Node.Type.BUCKET) {
        if (!ns.cache.pendingUnder(ns.object(p.bucket(), "")).isEmpty()) {
          throw Errno.notEmpty(p);
        }
        ns.submit(new Call.DeleteBucket(ns.store.account(), p.bucket()));
        ns.bucketsChanged();
        return;
      }
      if (ns.hasChildren(n.path(), null)) {
        throw Errno.notEmpty(p);
      }
      deleteKey(ns.marker(n.path()));
      keepParent(n.path());
    }
  }

  /** A handle for readdir over the folder at {@code path}. */
  long opendir(String path) throws IOException {
    Node n = ns.requireDir(map(path));
    DirStream.Source source =
        switch (n.type()) {
          case ROOT -> Listing.root(ns);
          case BUCKET -> Listing.folder(ns, n.path().bucket(), "");
          case SHARED_DIR -> ns.shared.list(n.path());
          default -> Listing.folder(ns, n.path().bucket(), n.path().childPrefix());
        };
    long h = nextHandle.getAndIncrement();
    dirs.put(h, new DirStream(source));
    return h;
  }

  /** The name at {@code index} of an open folder, or null past its end. */
  String readdir(long dh, long index) throws FsException {
    DirStream d = dirs.get(dh);
    if (d == null) {
      throw Errno.badHandle(dh);
    }
    return d.at(index);
  }

  void releasedir(long dh) {
    dirs.remove(dh);
  }

  // ---------------------------------------------------------------- files

  long create(String path, int mode, int flags, int uid, int gid) throws IOException {
    FsPath p = target(mapWritable(path));
    try (PathLocks.Held l = locks.lock(p, null)) {
      requireParent(p);
      space.check(0, p);
      if (p.bucket().equals(ns.mapper.reservedBucket()) && !ns.mapper.singleBucket()) {
        ns.ensureReservedBucket();
      }
      Set<OpenFlag> open = EnumSet.of(OpenFlag.CREATE);
      if ((flags & O_EXCL) != 0) {
        open.add(OpenFlag.EXCLUSIVE);
      }
      if ((flags & O_TRUNC) != 0) {
        open.add(OpenFlag.TRUNCATE);
      }
      PosixAttributes attrs =
          Attrs.create(Attrs.S_IFREG | (mode & 07777), uid, gid, ns.nowNanos(), "");
      FileHandle h = ns.cache.open(ns.object(p), open, attrs);
      ns.meta.invalidate(ns.object(p));
      return register(new CachedFile(p, h, (flags & O_APPEND) != 0));
    }
  }

  long open(String path, int flags) throws IOException {
    Node n = ns.require(map(path));
    if (n.isDir()) {
      throw Errno.isDir(n.path());
    }
    FsPath p = n.path();
    boolean write = (flags & O_ACCMODE) != 0 || (flags & O_TRUNC) != 0;
    if (n.type() == Node.Type.SHARED_FILE) {
      if (write) {
        throw Errno.readOnly(p);
      }
      return openShared(n);
    }
    if (write) {
      space.check(0, p);
      Set<OpenFlag> open = EnumSet.noneOf(OpenFlag.class);
      if ((flags & O_TRUNC) != 0) {
        open.add(OpenFlag.TRUNCATE);
      }
      FileHandle h = ns.cache.open(ns.object(p), open, n.attributes());
      return register(new CachedFile(p, h, (flags & O_APPEND) != 0));
    }
    if (n.pending() || n.record() == null) {
      FileHandle h = ns.cache.open(ns.object(p), EnumSet.noneOf(OpenFlag.class), n.attributes());
      return register(new CachedFile(p, h, false));
    }
    ObjectRecord r = n.record();
    DataKey key =
        ObjectKeys.open(
            r.access(), r.manifest().objectId(), ns.store.account(), ns.store.encryption());
    return register(new CommittedFile(p, r, key, segments));
  }

  /** A read-only view of another account's object shared with this one. */
  private long openShared(Node n) throws FsException {
    ObjectRecord r = n.record();
    DataKey key;
    try {
      key =
          ObjectKeys.open(
              r.access(), r.manifest().objectId(), ns.store.account(), ns.store.encryption());
    } catch (NotAReaderException e) {
      throw Errno.noAccess(n.path() + ": " + e.getMessage());
    }
    return register(new CommittedFile(n.path(), r, key, segments));
  }

  private long register(OpenFile f) {
    long h = nextHandle.getAndIncrement();
    files.put(h, f);
    return h;
  }

  private OpenFile file(long fh) throws FsException {
    OpenFile f = files.get(fh);
    if (f == null) {
      throw Errno.badHandle(fh);
    }
    return f;
  }

  int read(long fh, long offset, ByteBuffer dst) throws IOException {
    return file(fh).read(offset, dst);
  }

  void write(long fh, long offset, ByteBuffer src) throws IOException {
    OpenFile f = file(fh);
    long growth = Math.max(0, offset + src.remaining() - f.size());
    if (growth > 0) {
      space.check(growth, f.path());
    }
    f.write(offset, src);
  }

  void ftruncate(long fh, long size) throws IOException {
    OpenFile f = file(fh);
    if (size > f.size()) {
      space.check(size - f.size(), f.path());
    }
    f.truncate(size);
  }

  void truncate(String path, long size) throws IOException {
    Node n = ns.require(mapWritable(path));
    if (n.isDir()) {
      throw Errno.isDir(n.path());
    }
    if (size > n.size()) {
      space.check(size - n.size(), n.path());
    }
    Set<OpenFlag> open = size == 0 ? EnumSet.of(OpenFlag.TRUNCATE) : EnumSet.noneOf(OpenFlag.class);
    try (FileHandle h = ns.cache.open(ns.object(n.path()), open, n.attributes())) {
      h.truncate(size);
    }
  }

  /** Returns once the file is committed on the ledger. */
  void fsync(long fh) throws IOException {
    file(fh).fsync();
  }

  /**
   * close(2) of one descriptor. The kernel answers close(2) after this and sends the release later,
   * asynchronously: what was written is acknowledged here, so a crash before the release loses
   * nothing the program saw closed. The upload follows the last release.
   */
  void flush(long fh) throws IOException {
    org.deoss.cache.FileHandle h = file(fh).cacheHandle();
    if (h != null) {
      h.acknowledge();
    }
  }

  void release(long fh) throws IOException {
    OpenFile f = files.remove(fh);
    if (f != null) {
      f.close();
      ns.meta.invalidate(ns.object(f.path()));
    }
  }

  void unlink(String path) throws IOException {
    FsPath p = mapWritable(path);
    try (PathLocks.Held l = locks.lock(p, null)) {
      Node n = ns.require(p);
      if (n.isDir()) {
        throw Errno.isDir(p);
      }
      deleteKey(ns.object(n.path()));
      keepParent(n.path());
    }
  }

  void symlink(String target, String link, int uid, int gid) throws IOException {
    FsPath p = target(mapWritable(link));
    if (target.getBytes(StandardCharsets.UTF_8).length > PosixAttributes.MAX_SYMLINK_BYTES) {
      throw Errno.tooLong("symlink target of " + link + " is longer than 4095 bytes");
    }
    try (PathLocks.Held l = locks.lock(p, null)) {
      if (ns.resolve(p).isPresent()) {
        throw Errno.exists(p);
      }
      requireParent(p);
      if (p.bucket().equals(ns.mapper.reservedBucket()) && !ns.mapper.singleBucket()) {
        ns.ensureReservedBucket();
      }
      PosixAttributes attrs = Attrs.create(Attrs.S_IFLNK | 0777, uid, gid, ns.nowNanos(), target);
      ObjectPath op = ns.object(p);
      try (FileHandle h =
          ns.cache.open(op, EnumSet.of(OpenFlag.CREATE, OpenFlag.EXCLUSIVE), attrs)) {
        if (!h.attributes().equals(attrs)) {
          h.setAttributes(a -> attrs);
        }
      }
      ns.meta.invalidate(op);
    }
  }

  String readlink(String path) throws IOException {
    Node n = ns.require(map(path));
    if (n.type() != Node.Type.SYMLINK) {
      throw Errno.invalid(path + " is not a symlink");
    }
    return n.attributes().symlinkTarget();
  }

  void link(String from, String to) throws FsException {
    log.info("link {} -> {}: hard links are not supported by deoss", from, to);
    throw Errno.perm("hard links are not supported: " + to);
  }

  // ---------------------------------------------------------------- rename

  void rename(String fromPath, String toPath) throws IOException {
    FsPath from = mapWritable(fromPath);
    FsPath to = mapWritable(toPath);
    if (from.isRoot() || to.isRoot() || (from.isBucket() && ns.mapper.singleBucket())) {
      throw new FsException(ErrorCodes.EBUSY(), "cannot rename the mount's root");
    }
    Node src = ns.require(from);
    if (src.type() == Node.Type.BUCKET) {
      throw Errno.perm("buckets cannot be renamed: " + from);
    }
    FsPath dst = to;
    if (to.isBucket()) {
      if (ns.bucketExists(to.bucket())) {
        throw src.isDir() ? Errno.perm("a folder cannot replace bucket " + to) : Errno.isDir(to);
      }
      dst = ns.mapper.rootFile(to);
    }
    FsPath s = src.path();
    if (s.bucket().equals(dst.bucket()) && s.key().equals(dst.key())) {
      return;
    }
    try (PathLocks.Held l = locks.lock(s, dst)) {
      Optional<Node> existing = ns.resolve(dst);
      if (src.isDir()) {
        renameFolder(src, dst, existing);
      } else {
        renameFile(s, dst, existing);
      }
      keepParent(s);
    }
  }

  private void renameFile(FsPath s, FsPath dst, Optional<Node> existing) throws IOException {
    if (existing.isPresent() && existing.get().isDir()) {
      throw Errno.isDir(dst);
    }
    ObjectPath from = ns.object(s);
    ObjectPath to = ns.object(dst);
    if (!from.bucket().equals(to.bucket())) {
      // Into another bucket (a file manager's trash): commit what the cache holds, then move the
      // committed object on the ledger; no data is copied.
      ns.cache.flush(from);
      ns.cache.discard(to);
      ns.submit(
          new Call.MoveObject(
              from.owner(), from.bucket(), from.key(), to.bucket(), to.key(), true));
    } else if (!ns.cache.rename(from, to)) {
      ns.cache.discard(to);
      ns.submit(new Call.RenameObject(from.owner(), from.bucket(), from.key(), to.key(), true));
    }
    ns.meta.invalidate(from);
    ns.meta.invalidate(to);
  }

  /**
   * A folder moves by one ledger call (RenamePrefix, or MovePrefix into another bucket: atomic, no
   * data copied) after the files the cache holds under it are committed, so that nothing is left
   * behind under the old name.
   */
  private void renameFolder(Node src, FsPath dst, Optional<Node> existing) throws IOException {
    FsPath s = src.path();
    if (s.bucket().equals(dst.bucket()) && dst.key().startsWith(s.childPrefix())) {
      throw Errno.invalid("cannot move " + s + " into itself (" + dst + ")");
    }
    if (existing.isPresent()) {
      Node t = existing.get();
      if (!t.isDir()) {
        throw Errno.notDir(dst);
      }
      if (ns.hasChildren(t.path(), null)) {
        throw Errno.notEmpty(dst);
      }
      if (t.type() == Node.Type.MARKED_DIR) {
        deleteKey(ns.marker(t.path()));
      }
    }
    ObjectPath fromPrefix = ns.object(s.bucket(), s.childPrefix());
    flushAll(ns.cache.pendingUnder(fromPrefix));
    boolean anything =
        !ns.store
            .ledger()
            .list(ns.store.account(), s.bucket(), s.childPrefix(), "", null, 1)
            .objects()
            .isEmpty();
    if (anything && s.bucket().equals(dst.bucket())) {
      ns.submit(
          new Call.RenamePrefix(
              ns.store.account(), s.bucket(), s.childPrefix(), dst.childPrefix()));
    } else if (anything) { // an implicit folder of files that all failed to upload: nothing
      ns.submit(
          new Call.MovePrefix(
              ns.store.account(), s.bucket(), s.childPrefix(), dst.bucket(), dst.childPrefix()));
    }
    ns.meta.invalidatePrefix(fromPrefix);
    ns.meta.invalidatePrefix(ns.object(dst.bucket(), dst.childPrefix()));
    ns.meta.invalidate(ns.marker(s));
    ns.meta.invalidate(ns.marker(dst));
  }

  /** Uploads {@code files} now, several at once, and waits for all; rethrows the first failure. */
  private void flushAll(List<PendingFile> files) throws IOException {
    List<java.util.concurrent.CompletableFuture<Void>> running = new ArrayList<>();
    for (PendingFile f : files) {
      running.add(
          java.util.concurrent.CompletableFuture.runAsync(
              () -> {
                try {
                  ns.cache.flush(f.path());
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              flushers));
    }
    try {
      java.util.concurrent.CompletableFuture.allOf(
              running.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
          .join();
    } catch (java.util.concurrent.CompletionException e) {
      Throwable c = ErrnoTable.unwrap(e);
      if (c instanceof IOException io) {
        throw io;
      }
      throw e;
    }
  }

  /** utimens with UTIME_NOW: the mount's clock. */
  void utimensNow(String path) throws IOException {
    utimens(path, ns.nowNanos());
  }

  // ---------------------------------------------------------------- helpers

  /** For a name at the root that is a valid bucket name but no bucket: the root file. */
  private FsPath target(FsPath p) throws FsException {
    if (p.isRoot()) {
      throw Errno.exists(p);
    }
    if (p.isBucket()) {
      if (ns.mapper.singleBucket() || ns.bucketExists(p.bucket())) {
        throw Errno.isDir(p);
      }
      return ns.mapper.rootFile(p);
    }
    return p;
  }

  private void requireParent(FsPath p) throws FsException {
    if (!p.key().contains("/")) {
      if (!ns.mapper.singleBucket()
          && !p.bucket().equals(ns.mapper.reservedBucket())
          && !ns.bucketExists(p.bucket())) {
        throw Errno.noEntry("bucket " + p.bucket() + " of " + p);
      }
      return;
    }
    FsPath parent = new FsPath(FsPath.Kind.ENTRY, p.bucket(), p.parentKey(), parentPath(p.path()));
    ns.requireDir(parent);
  }

  private static String parentPath(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** Drops a key from the cache and the ledger (whichever hold it). */
  private void deleteKey(ObjectPath op) throws IOException {
    ns.cache.discard(op);
    if (!ns.committed(op)) {
      ns.meta.invalidate(op); // a file never uploaded: no ledger call (and no rejection)
      return;
    }
    try {
      ns.submit(new Call.DeleteObject(op.owner(), op.bucket(), op.key()));
    } catch (LedgerRejection r) {
      if (r.reason() != LedgerRejection.Reason.NO_SUCH_OBJECT) {
        throw r;
      }
    }
    ns.meta.invalidate(op);
  }

  /**
   * After {@code removed} left its folder: an implicit folder that is now empty gets a marker, so
   * it does not vanish with its last file.
   */
  private void keepParent(FsPath removed) throws IOException {
    if (!removed.key().contains("/")) {
      return;
    }
    FsPath parent =
        new FsPath(
            FsPath.Kind.ENTRY, removed.bucket(), removed.parentKey(), parentPath(removed.path()));
    ObjectPath marker = ns.marker(parent);
    if (ns.cache.pending(marker).isPresent() || ns.meta.object(marker).isPresent()) {
      return;
    }
    if (!ns.hasChildren(parent, null)) {
      writeMarker(parent, dirAttributes(ns.nowNanos()));
    }
  }

  /** Closes every open file (at unmount). */
  void closeAll() {
    for (Long h : new ArrayList<>(files.keySet())) {
      try {
        release(h);
      } catch (IOException | RuntimeException e) {
        log.warn("closing an open file at unmount failed: {}", e.toString());
      }
    }
    dirs.clear();
  }
}
