package org.deoss.transfer.miner.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.FragmentStoreException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A miner's fragments in a data folder on the local disk.
 *
 * <h2>Layout</h2>
 *
 * <pre>
 *   ROOT/FORMAT                  "deoss-fragment-store 1"
 *   ROOT/.lock                   locked while open (one store per folder, across processes)
 *   ROOT/fragments/ab/cd/abcd…   a fragment, named by the 64-hex id; 65,536 leaf directories
 *   ROOT/tmp/abcd….N.tmp         puts in progress (same filesystem, so the rename is atomic)
 *   ROOT/quarantine/abcd….N      fragments found damaged by {@link StartupCheck#VERIFY}
 *   ROOT/packs/NNNNNNNN.pack     small fragments, packed (see "Packed fragments")
 * </pre>
 *
 * <h2>Packed fragments</h2>
 *
 * A fragment of at most {@link DiskStoreConfig#packedMaxLength()} bytes put whole ({@link #put}) is
 * not given a file: after its bytes are checked against its id it is appended to the {@link
 * PackLog}, whose group commit lets concurrent puts share one {@code fdatasync} (a file put costs a
 * file and a directory flush each). Acknowledged still means durable. Reads, proofs, HAS, STATS,
 * deletion, verification and collection treat a packed fragment like a file (its age is the time
 * recorded in the log); opening replays the packs into the same index. Bigger fragments, and
 * streamed puts ({@link #begin}), stay files.
 *
 * <h2>Writing</h2>
 *
 * A put ({@link #begin} or {@link #put}) reserves its declared length against the capacity, writes
 * to a fresh temp file while rooting the bytes ({@link FragmentMerkle#builder()}), and on commit
 * checks length and root <em>before</em> anything is renamed, stamps the file's modification time
 * from the configured clock, forces the file, renames it into its fan-out directory (made if new)
 * and forces that directory, and the parent of any directory it made. Only then is it indexed and
 * acknowledged. Any failure (wrong id, short or long stream, disk full, I/O error, abort) deletes
 * the temp file and releases the reservation: no partial fragment is ever visible or left behind.
 * Concurrent puts of one id each write their own temp file; the first to commit installs it, the
 * others delete theirs and succeed (idempotent). A put of a fragment already held writes nothing
 * and only checks the bytes against the id.
 *
 * <h2>Flushes</h2>
 *
 * A put costs two flushes, its file and its directory (three when it makes a directory); each is a
 * journal commit and a disk cache flush. They are issued by the put's own thread, so the puts of
 * several store threads flush at the same time and the file system merges their journal commits.
 * (Funnelling them through one committing thread that forces each directory once per batch was
 * tried and measured slower on ext4: it serializes flushes that the kernel otherwise merges.)
 *
 * <h2>Capacity</h2>
 *
 * {@code used} is the sum of stored fragment sizes; {@code claimed} is {@code used} plus the
 * lengths reserved by puts in progress. A put is refused with {@link Reason#CAPACITY_EXCEEDED} at
 * {@link #begin}, before a byte is written, when {@code claimed + length} would pass the capacity,
 * so {@code used <= claimed <= capacity} at all times. A full disk (ENOSPC) during a write also
 * fails with {@link Reason#CAPACITY_EXCEEDED}, naming the path.
 *
 * <h2>Index and restart</h2>
 *
 * The index (id → length) lives in memory, rebuilt by {@link #open} from a walk of {@code
 * fragments/}; leftover temp files are deleted and, with {@link StartupCheck#VERIFY}, every
 * fragment is re-rooted and damaged ones are moved to {@code quarantine/}. An entry costs about 130
 * bytes of heap (measured with 1 million random ids: {@code ConcurrentHashMap} node 32, {@code
 * Hash256} 16 plus its 48-byte array, boxed {@code Long} 16, table slots): 1 million fragments ≈
 * 130 MB, 10 million ≈ 1.3 GB. A 10 TB miner full of 8 MiB fragments (32 MiB segments, k = 4) holds
 * ~1.2 million; small objects make smaller fragments, so a miner of many small files needs a larger
 * heap (or a compact off-heap index, not built yet).
 *
 * <h2>Garbage collection</h2>
 *
 * {@link #collect} deletes fragments that are unreferenced and whose file modification time is at
 * least the grace period before {@code now}. The modification time is the time of the last put of
 * that fragment (stamped from the configured clock at commit, and refreshed when a put of a
 * fragment already held succeeds), so a fragment just uploaded, or uploaded again for a new object,
 * is safe for a full grace period while its object commits on the ledger. It survives restarts with
 * the file and needs no extra state.
 *
 * <h2>Threads</h2>
 *
 * Thread-safe. All I/O is blocking. The blocking methods ({@link #begin}, {@link #openReader},
 * {@link #read}, {@link #transferTo}, {@link #prove}, {@link #verifyFragment}, {@link
 * #deleteFragment}, {@link #collect}) run on the calling thread: call them from an executor, never
 * from a Netty event loop. The asynchronous {@link FragmentStore} methods run their work on the
 * configured executor; with the default {@link DiskStoreConfig#DIRECT} they do it on the calling
 * thread and return a completed future. Commit, delete and collection of one id are serialized by
 * one of 256 lock stripes; the index and counters are concurrent and need no lock to read.
 */
public final class DiskFragmentStore implements FragmentStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DiskFragmentStore.class);
  private static final int STRIPES = 256;
  private static final int VERIFY_BUFFER = 256 * 1024;

  /** A fault hook before every temp-file write, for tests of a full disk. */
  interface WriteFault {
    WriteFault NONE = (temp, position, length) -> {};

    void beforeWrite(Path temp, long position, int length) throws IOException;
  }

  private final DiskStoreConfig config;
  private final Layout layout;
  private final ConcurrentHashMap<Hash256, Long> index;
  private final AtomicLong used;
  private final AtomicLong claimed;
  private final Object[] stripes = new Object[STRIPES];
  private final AtomicLong tempSeq = new AtomicLong();
  private final FileChannel lockChannel;
  private final OpenReport openReport;
  private final WriteFault fault;
  private final DiskOps ops;
  private final PackLog packs;
  private volatile boolean closed;

  private DiskFragmentStore(
      DiskStoreConfig config,
      Layout layout,
      ConcurrentHashMap<Hash256, Long> index,
      OpenReport report,
      FileChannel lockChannel,
      WriteFault fault,
      DiskOps ops,
      PackLog packs) {
    this.config = config;
    this.packs = packs;
    this.layout = layout;
    this.index = index;
    this.openReport = report;
    this.used = new AtomicLong(report.bytes());
    this.claimed = new AtomicLong(report.bytes());
    this.lockChannel = lockChannel;
    this.fault = fault;
    this.ops = ops;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Object();
    }
  }

  /**
   * Opens (making it if missing) the data folder {@code config.root()}, rescanning it as {@link
   * StartupCheck} says. Blocks for the scan.
   *
   * @throws IOException when the folder cannot be made or read, is locked by another open store, or
   *     holds another format
   */
  public static DiskFragmentStore open(DiskStoreConfig config) throws IOException {
    return open(config, WriteFault.NONE, DiskOps.REAL);
  }

  static DiskFragmentStore open(DiskStoreConfig config, WriteFault fault) throws IOException {
    return open(config, fault, DiskOps.REAL);
  }

  static DiskFragmentStore open(DiskStoreConfig config, WriteFault fault, DiskOps ops)
      throws IOException {
    Layout layout = new Layout(config.root());
    Files.createDirectories(layout.root);
    FileChannel lockChannel =
        FileChannel.open(layout.lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock(layout, lockChannel);
      checkFormat(layout);
      for (Path dir : new Path[] {layout.fragments, layout.tmp, layout.quarantine}) {
        Files.createDirectories(dir);
      }
      Layout.syncDirectory(layout.root);
      ConcurrentHashMap<Hash256, Long> index = new ConcurrentHashMap<>();
      OpenReport files = new Rescan(layout, config.startupCheck(), index).run();
      PackLog packs =
          PackLog.open(
              layout.packs, PackLog.PACK_SIZE, config.startupCheck() == StartupCheck.VERIFY);
      OpenReport report = mergePacks(files, index, packs);
      LOG.info(
          "opened fragment store {}: {} fragments, {} bytes of {}; {} quarantined, {} temp files"
              + " removed, {} unknown files",
          layout.root,
          report.fragments(),
          report.bytes(),
          config.capacityBytes(),
          report.quarantined(),
          report.tempFilesRemoved(),
          report.unknownFiles());
      return new DiskFragmentStore(config, layout, index, report, lockChannel, fault, ops, packs);
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
  }

  /**
   * Adds the packed fragments to the index; a fragment held both as a file and packed (packing
   * turned on or off between runs) keeps its file and loses its packed copy.
   */
  private static OpenReport mergePacks(
      OpenReport files, ConcurrentHashMap<Hash256, Long> index, PackLog packs) throws IOException {
    long count = files.fragments();
    long bytes = files.bytes();
    for (var e : List.copyOf(packs.entries().entrySet())) {
      if (index.containsKey(e.getKey())) {
        packs.delete(e.getKey());
        continue;
      }
      index.put(e.getKey(), (long) e.getValue().length());
      count++;
      bytes += e.getValue().length();
    }
    PackLog.ScanReport scan = packs.scanReport();
    if (scan.damaged() > 0 || scan.tornBytes() > 0) {
      LOG.warn(
          "packs: {} damaged records dropped, {} bytes of torn tails ignored",
          scan.damaged(),
          scan.tornBytes());
    }
    return new OpenReport(
        count,
        bytes,
        files.quarantined() + scan.damaged(),
        files.tempFilesRemoved(),
        files.unknownFiles());
  }

  private static void lock(Layout layout, FileChannel channel) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      throw new IOException("data folder " + layout.root + " is already open in this process", e);
    }
    if (lock == null) {
      throw new IOException(
          "data folder " + layout.root + " is in use by another process (" + layout.lock + ")");
    }
  }

  private static void checkFormat(Layout layout) throws IOException {
    if (Files.exists(layout.format)) {
      String found = Files.readString(layout.format, StandardCharsets.UTF_8).strip();
      if (!found.equals(Layout.FORMAT_LINE)) {
        throw new IOException(
            layout.format + " reads '" + found + "', expected '" + Layout.FORMAT_LINE + "'");
      }
      return;
    }
    try (FileChannel ch =
        FileChannel.open(layout.format, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap((Layout.FORMAT_LINE + "\n").getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
  }

  /** What opening the folder found. */
  public OpenReport openReport() {
    return openReport;
  }

  /** The data folder. */
  public Path root() {
    return layout.root;
  }

  // ---------------------------------------------------------------- writing

  /**
   * Starts a streamed put of {@code length} bytes under {@code id}, reserving the length against
   * the capacity (unless the fragment is already held). Blocking; creates the temp file.
   *
   * @throws FragmentStoreException {@link Reason#CAPACITY_EXCEEDED} when the length does not fit,
   *     {@link Reason#PROTOCOL} for a negative length, {@link Reason#UNAVAILABLE} once closed,
   *     {@link Reason#IO} when the temp file cannot be made
   */
  public PutSession begin(Hash256 id, long length) {
    Objects.requireNonNull(id, "id");
    requireOpen(id);
    if (length < 0) {
      throw new FragmentStoreException(Reason.PROTOCOL, id, "negative length " + length);
    }
    if (index.containsKey(id)) {
      return new PutSession(this, id, length, null, null);
    }
    reserve(id, length);
    Path temp = layout.tmp.resolve(id.toHex() + "." + tempSeq.incrementAndGet() + ".tmp");
    try {
      FileChannel ch =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return new PutSession(this, id, length, temp, ch);
    } catch (IOException e) {
      discard(id, length, temp);
      throw Errors.io(id, "creating", temp, e);
    }
  }

  private void reserve(Hash256 id, long length) {
    long capacity = config.capacityBytes();
    while (true) {
      long c = claimed.get();
      if (length > capacity - c) {
        throw new FragmentStoreException(
            Reason.CAPACITY_EXCEEDED,
            id,
            length
                + " bytes do not fit in "
                + layout.root
                + ": "
                + used.get()
                + " stored and "
                + (c - used.get())
                + " reserved of "
                + capacity);
      }
      if (claimed.compareAndSet(c, c + length)) {
        return;
      }
    }
  }

  /**
   * Renames a checked, forced temp file into place and returns once the rename is durable; see
   * "Writing" in the class comment. A fan-out directory this put finds new (made now, or made by
   * another put whose flush has not finished) is made without a flush of its own: the put forces
   * its directory after the rename and then the parents of the new directories, deepest first, so
   * the first force commits the directory and the rename together and the later ones find nothing
   * left to commit.
   */
  void install(Hash256 id, long length, Path temp) {
    Path target = layout.pathOf(id);
    Path dir = target.getParent();
    synchronized (stripe(id)) {
      requireOpen(id);
      if (index.containsKey(id)) {
        discard(id, length, temp); // a concurrent put of the same fragment committed first
        touch(id, target);
        return;
      }
      List<Path> made;
      try {
        made = layout.makeDirectory(dir);
      } catch (IOException e) {
        throw Errors.io(id, "making the directory", dir, e);
      }
      try {
        ops.rename(temp, target);
      } catch (IOException e) {
        throw Errors.io(id, "renaming " + temp + " to", target, e);
      }
      Path forcing = dir;
      try {
        ops.syncDirectory(dir);
        for (Path m : made) { // leaf first
          forcing = m.getParent();
          ops.syncDirectory(forcing);
          layout.markDurable(m);
        }
      } catch (IOException e) {
        deleteQuietly(id, target);
        throw Errors.io(id, "forcing the directory", forcing, e);
      }
      index.put(id, length);
      used.addAndGet(length);
    }
  }

  /** Deletes a put's temp file and releases its reservation. */
  void discard(Hash256 id, long length, Path temp) {
    deleteQuietly(id, temp);
    claimed.addAndGet(-length);
  }

  /** After a put of a fragment already held: restart its grace period. */
  void refresh(Hash256 id) {
    synchronized (stripe(id)) {
      if (!index.containsKey(id)) {
        throw new FragmentStoreException(
            Reason.IO, id, "deleted from " + layout.root + " while a put of it ran; put it again");
      }
      touch(id, layout.pathOf(id));
    }
  }

  private void touch(Hash256 id, Path path) {
    if (packs.get(id) != null) {
      try {
        packs.touch(id, now().toEpochMilli());
      } catch (IOException e) {
        LOG.warn("cannot refresh the time of packed fragment {}: {}", id, e.toString());
      }
      return;
    }
    try {
      Files.setLastModifiedTime(path, FileTime.from(now()));
    } catch (IOException e) {
      LOG.warn(
          "cannot refresh the modification time of fragment {} at {}: {}", id, path, e.toString());
    }
  }

  private static void deleteQuietly(Hash256 id, Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.warn("cannot delete {} (fragment {}): {}", path, id, e.toString());
    }
  }

  Instant now() {
    return config.clock().instant();
  }

  void beforeWrite(Path temp, long position, int length) throws IOException {
    fault.beforeWrite(temp, position, length);
  }

  void force(Path temp, FileChannel channel) throws IOException {
    ops.force(temp, channel);
  }

  // ---------------------------------------------------------------- reading

  /** The length of a held fragment, or empty. */
  public OptionalLong lengthOf(Hash256 id) {
    Long n = index.get(id);
    return n == null ? OptionalLong.empty() : OptionalLong.of(n);
  }

  /**
   * Opens a held fragment for reading. Blocking; the caller closes the reader.
   *
   * @throws FragmentStoreException {@link Reason#NOT_FOUND}, {@link Reason#UNAVAILABLE} once
   *     closed, {@link Reason#IO}
   */
  public FragmentReader openReader(Hash256 id) {
    Objects.requireNonNull(id, "id");
    requireOpen(id);
    Long length = index.get(id);
    Path path = layout.pathOf(id);
    if (length == null) {
      throw notFound(id);
    }
    PackLog.Entry packed = packs.get(id);
    if (packed != null) {
      try {
        return packs.openReader(id, packed);
      } catch (NoSuchFileException e) {
        throw notFound(id);
      } catch (IOException e) {
        throw Errors.io(id, "opening", packed.pack().path, e);
      }
    }
    try {
      return new FragmentReader(id, path, FileChannel.open(path, StandardOpenOption.READ), length);
    } catch (NoSuchFileException e) {
      throw notFound(id);
    } catch (IOException e) {
      throw Errors.io(id, "opening", path, e);
    }
  }

  /** Fills {@code dst} from {@code offset} of the fragment; see {@link FragmentReader#read}. */
  public void read(Hash256 id, long offset, ByteBuffer dst) {
    try (FragmentReader r = openReader(id)) {
      r.read(offset, dst);
    }
  }

  /** Sends a range of the fragment to {@code target}; see {@link FragmentReader#transferTo}. */
  public void transferTo(Hash256 id, long offset, long count, WritableByteChannel target) {
    try (FragmentReader r = openReader(id)) {
      r.transferTo(offset, count, target);
    }
  }

  /**
   * A proof that the store holds leaf {@code leafIndex} of the fragment (an audit answer). Reads
   * the whole fragment.
   *
   * @throws FragmentStoreException {@link Reason#NOT_FOUND}; {@link Reason#BAD_RANGE} for a leaf
   *     the fragment does not have
   */
  public FragmentMerkle.Proof prove(Hash256 id, int leafIndex) {
    try (FragmentReader r = openReader(id)) {
      ByteBuffer all = readAll(r);
      int leaves = FragmentMerkle.leafCount(r.size());
      if (leafIndex < 0 || leafIndex >= leaves) {
        throw new FragmentStoreException(
            Reason.BAD_RANGE, id, "leaf " + leafIndex + " outside the " + leaves + " leaves");
      }
      return FragmentMerkle.prove(all.array(), 0, all.limit(), leafIndex);
    }
  }

  private static ByteBuffer readAll(FragmentReader r) {
    if (r.size() > Integer.MAX_VALUE - 8) {
      throw new FragmentStoreException(
          Reason.BAD_RANGE, r.id(), r.size() + " bytes do not fit one buffer; read in ranges");
    }
    ByteBuffer b = ByteBuffer.allocate((int) r.size());
    r.read(0, b);
    return b.flip();
  }

  private FragmentStoreException notFound(Hash256 id) {
    return new FragmentStoreException(Reason.NOT_FOUND, id, "no such fragment in " + layout.root);
  }

  /**
   * Re-roots one held fragment (reads all its bytes) and, if they no longer match its id, moves it
   * to {@code quarantine/} and forgets it, logging the paths: a scrubber's step, or the answer to a
   * client that reports a bad fragment. The bytes are read outside any lock (fragments never change
   * in place). Blocking.
   *
   * @return {@code true} if the fragment is intact, {@code false} if it was quarantined
   * @throws FragmentStoreException {@link Reason#NOT_FOUND}, {@link Reason#IO}
   */
  public boolean verifyFragment(Hash256 id) {
    Objects.requireNonNull(id, "id");
    requireOpen(id);
    Path path = layout.pathOf(id);
    if (!index.containsKey(id)) {
      throw notFound(id);
    }
    if (packs.get(id) != null) {
      return verifyPacked(id);
    }
    Hash256 actual;
    try {
      actual = Rescan.rootOf(path, new byte[VERIFY_BUFFER]);
    } catch (NoSuchFileException e) {
      throw notFound(id);
    } catch (IOException e) {
      throw Errors.io(id, "verifying", path, e);
    }
    if (actual.equals(id)) {
      return true;
    }
    synchronized (stripe(id)) {
      Long length = index.get(id);
      if (length == null) {
        return false; // deleted meanwhile: nothing left to quarantine
      }
      try {
        Path to = Rescan.quarantine(layout, path, id);
        LOG.warn(
            "fragment {} at {} has root {}: its bytes changed on disk; moved to {}",
            id,
            path,
            actual,
            to);
      } catch (IOException e) {
        throw Errors.io(id, "quarantining", path, e);
      }
      forget(id, length);
      return false;
    }
  }

  /** {@link #verifyFragment} of a packed fragment: a damaged one is copied out and dropped. */
  private boolean verifyPacked(Hash256 id) {
    ByteBuffer all;
    try (FragmentReader r = openReader(id)) {
      all = readAll(r);
    }
    Hash256 actual = FragmentMerkle.root(all.array(), 0, all.limit());
    if (actual.equals(id)) {
      return true;
    }
    synchronized (stripe(id)) {
      Long length = index.get(id);
      PackLog.Entry e = packs.get(id);
      if (length == null || e == null) {
        return false;
      }
      Path to = layout.quarantine.resolve(id.toHex() + ".packed." + tempSeq.incrementAndGet());
      try {
        Files.write(to, all.array());
        packs.delete(id);
      } catch (IOException x) {
        throw Errors.io(id, "quarantining", to, x);
      }
      LOG.warn(
          "packed fragment {} in {} has root {}: its bytes changed on disk; copied to {} and"
              + " dropped",
          id,
          e.pack().path,
          actual,
          to);
      forget(id, length);
      return false;
    }
  }

  // ---------------------------------------------------------------- deleting

  /**
   * Deletes a fragment now, whatever its age; {@code false} if it was not held. Blocking. The
   * directory is not forced: a delete lost in a crash is redone by the next collection.
   */
  public boolean deleteFragment(Hash256 id) {
    Objects.requireNonNull(id, "id");
    requireOpen(id);
    synchronized (stripe(id)) {
      Long length = index.get(id);
      if (length == null) {
        return false;
      }
      Path path = layout.pathOf(id);
      try {
        if (!packs.delete(id)) {
          Files.deleteIfExists(path);
        }
      } catch (IOException e) {
        throw Errors.io(id, "deleting", path, e);
      }
      forget(id, length);
      return true;
    }
  }

  private void forget(Hash256 id, long length) {
    index.remove(id);
    used.addAndGet(-length);
    claimed.addAndGet(-length);
  }

  /**
   * Deletes every fragment that {@code stillReferenced} rejects and whose last put is at least
   * {@code grace} before {@code now}; never one younger. The predicate is asked first, outside any
   * lock (it may query the ledger); the age is checked and the file deleted under the fragment's
   * lock, so a put that refreshes the fragment meanwhile keeps it. A fragment that cannot be read
   * or deleted is logged and skipped. Blocking; runs on the calling thread.
   */
  public CollectReport collect(Predicate<Hash256> stillReferenced, Duration grace, Instant now) {
    Objects.requireNonNull(stillReferenced, "stillReferenced");
    Objects.requireNonNull(now, "now");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative, got " + grace);
    }
    requireOpen(null);
    long examined = 0;
    long deleted = 0;
    long freed = 0;
    long referenced = 0;
    long young = 0;
    for (Hash256 id : index.keySet()) {
      examined++;
      if (stillReferenced.test(id)) {
        referenced++;
        continue;
      }
      Path path = layout.pathOf(id);
      synchronized (stripe(id)) {
        Long length = index.get(id);
        if (length == null) {
          continue;
        }
        try {
          PackLog.Entry packed = packs.get(id);
          Instant modified =
              packed != null
                  ? Instant.ofEpochMilli(packed.timeMillis())
                  : Files.getLastModifiedTime(path).toInstant();
          if (modified.plus(grace).isAfter(now)) {
            young++;
            continue;
          }
          if (packed == null || !packs.delete(id)) {
            Files.deleteIfExists(path);
          }
        } catch (IOException e) {
          LOG.warn("collect: skipped fragment {} at {}: {}", id, path, e.toString());
          continue;
        }
        forget(id, length);
        deleted++;
        freed += length;
      }
    }
    CollectReport report = new CollectReport(examined, deleted, freed, referenced, young);
    LOG.info("collected {}: {}", layout.root, report);
    return report;
  }

  // ---------------------------------------------------------------- FragmentStore

  @Override
  public CompletableFuture<Void> put(Hash256 hash, ByteBuffer data) {
    ByteBuffer copy = data == null ? null : data.duplicate();
    return async(
        hash,
        () -> {
          if (copy.remaining() <= config.packedMaxLength()) {
            putPacked(hash, copy);
            return null;
          }
          try (PutSession s = begin(hash, copy.remaining())) {
            s.write(copy);
            s.commit();
          }
          return null;
        });
  }

  /**
   * Stores a small fragment in the pack log; see "Packed fragments". The bytes are checked against
   * the id first (a fragment already held is only checked and refreshed).
   */
  private void putPacked(Hash256 id, ByteBuffer data) {
    Objects.requireNonNull(id, "id");
    requireOpen(id);
    int length = data.remaining();
    boolean held = index.containsKey(id);
    if (!held) {
      reserve(id, length);
    }
    boolean stored = false;
    try {
      Hash256 actual = rootOf(data);
      if (!actual.equals(id)) {
        throw new FragmentStoreException(
            Reason.HASH_MISMATCH,
            id,
            "the " + length + " bytes sent have root " + actual + ", not the fragment id");
      }
      if (held) {
        refresh(id);
        return;
      }
      synchronized (stripe(id)) {
        requireOpen(id);
        if (index.containsKey(id)) {
          touch(id, layout.pathOf(id)); // a concurrent put of the same fragment stored it first
          return;
        }
        try {
          packs.put(id, data, now().toEpochMilli());
        } catch (IOException e) {
          throw Errors.io(id, "packing", layout.packs, e);
        }
        index.put(id, (long) length);
        used.addAndGet(length);
        stored = true;
      }
    } finally {
      if (!held && !stored) {
        claimed.addAndGet(-length);
      }
    }
  }

  private static Hash256 rootOf(ByteBuffer data) {
    if (data.hasArray()) {
      return FragmentMerkle.root(
          data.array(), data.arrayOffset() + data.position(), data.remaining());
    }
    byte[] copy = new byte[data.remaining()];
    data.duplicate().get(copy);
    return FragmentMerkle.root(copy, 0, copy.length);
  }

  @Override
  public CompletableFuture<ByteBuffer> get(Hash256 hash, long offset, int length) {
    return async(
        hash,
        () -> {
          try (FragmentReader r = openReader(hash)) {
            r.checkRange(offset, length);
            ByteBuffer b = ByteBuffer.allocate(length);
            r.read(offset, b);
            return b.flip();
          }
        });
  }

  @Override
  public CompletableFuture<ByteBuffer> get(Hash256 hash) {
    return async(
        hash,
        () -> {
          try (FragmentReader r = openReader(hash)) {
            return readAll(r);
          }
        });
  }

  @Override
  public CompletableFuture<Boolean> has(Hash256 hash) {
    return async(
        hash,
        () -> {
          requireOpen(hash);
          return index.containsKey(hash);
        });
  }

  @Override
  public CompletableFuture<Boolean> delete(Hash256 hash) {
    return async(hash, () -> deleteFragment(hash));
  }

  @Override
  public CompletableFuture<Stats> stats() {
    return async(
        null,
        () -> {
          requireOpen(null);
          return new Stats(index.size(), used.get(), config.capacityBytes());
        });
  }

  private <T> CompletableFuture<T> async(Hash256 id, Callable<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      config.executor().execute(() -> complete(f, id, work));
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(
          new FragmentStoreException(Reason.UNAVAILABLE, id, "the store's executor refused", e));
    }
    return f;
  }

  private static <T> void complete(CompletableFuture<T> f, Hash256 id, Callable<T> work) {
    try {
      f.complete(work.call());
    } catch (FragmentStoreException e) {
      f.completeExceptionally(e);
    } catch (Exception | Error e) {
      f.completeExceptionally(
          new FragmentStoreException(Reason.IO, id, "unexpected failure: " + e, e));
      if (e instanceof Error) {
        throw (Error) e;
      }
    }
  }

  // ---------------------------------------------------------------- lifecycle

  private void requireOpen(Hash256 id) {
    if (closed) {
      throw new FragmentStoreException(
          Reason.UNAVAILABLE, id, "the store at " + layout.root + " is closed");
    }
  }

  private Object stripe(Hash256 id) {
    return stripes[id.byteAt(Hash256.LENGTH - 1) & (STRIPES - 1)];
  }

  /**
   * Closes the store: later calls fail with {@link Reason#UNAVAILABLE}, puts in progress fail at
   * commit, and the folder's lock is released. Open readers stay usable until closed.
   */
  @Override
  public void close() throws IOException {
    closed = true;
    packs.close();
    lockChannel.close();
  }
}
