package org.deoss.fs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongSupplier;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * The one place where libfuse calls into Java. Every callback runs through {@link #call}: it times
 * the call and warns when it is slow, catches every Throwable (native code cannot take one), and
 * returns the negative error number that {@link ErrnoTable} gives. Failures the table does not know
 * are logged once here with the operation and path (stack trace at DEBUG); expected ones (ENOENT,
 * EEXIST...) only at DEBUG. Everything else is the {@link FsCore}'s job.
 *
 * <p>A write hands the core a view of libfuse's buffer (no copy); a read fills one direct buffer
 * per libfuse thread, which is then copied to libfuse's.
 */
class FuseBoundary extends FuseStubFS {
  private static final Logger log = LoggerFactory.getLogger(FuseBoundary.class);
  static final long UTIME_NOW = (1L << 30) - 1;
  static final long UTIME_OMIT = (1L << 30) - 2;
  private static final int BUFFER = 128 * 1024;
  private static final com.kenai.jffi.MemoryIO NATIVE = com.kenai.jffi.MemoryIO.getInstance();

  /** Who is calling: the uid and gid that new files get. */
  interface Caller {
    int uid();

    int gid();
  }

  @FunctionalInterface
  interface Op {
    int run() throws Exception;
  }

  private final FsCore core;
  private final LongSupplier nanoTime;
  private final long slowNanos;
  private final Caller caller;
  private final ForegroundGate gate;
  private final ThreadLocal<Buf> buffers = ThreadLocal.withInitial(() -> new Buf(BUFFER));

  /**
   * @param caller null to ask libfuse (the normal case); tests pass a fixed identity
   */
  FuseBoundary(FsCore core, LongSupplier nanoTime, long slowNanos, Caller caller) {
    this(core, nanoTime, slowNanos, caller, null);
  }

  /**
   * @param gate told of every call (null for none), so uploads wait while the mount is busy
   */
  FuseBoundary(
      FsCore core, LongSupplier nanoTime, long slowNanos, Caller caller, ForegroundGate gate) {
    this.gate = gate;
    this.core = core;
    this.nanoTime = nanoTime;
    this.slowNanos = slowNanos;
    this.caller = caller != null ? caller : new ContextCaller();
    allowUtimeOmit();
  }

  /**
   * Sets libfuse 2's {@code flag_utime_omit_ok}, which jnr-fuse models as padding. Without it
   * libfuse drops every utimensat that sets only one of the two times (atime {@code UTIME_OMIT}:
   * {@code touch -m}, GNU tar restoring mtimes), answering success without calling us, so those
   * mtimes were silently lost. In {@code struct fuse_operations} the flags are bit-fields of one
   * unsigned int after {@code bmap}: nullpath_ok is bit 0, nopath bit 1, utime_omit_ok bit 2 (GCC
   * allocates bit-fields from the low bit on little-endian machines).
   */
  private void allowUtimeOmit() {
    jnr.ffi.Pointer ops = jnr.ffi.Struct.getMemory(fuseOperations);
    long at = flagsOffset();
    ops.putByte(at, (byte) (ops.getByte(at) | UTIME_OMIT_OK_BIT));
  }

  /**
   * Where the flag bits start: after the 38 function pointers from {@code getattr} to {@code bmap},
   * which is where jnr-fuse places its {@code flag_nullpath_ok} padding (its offset() accessor is
   * not public, hence reflection; the two are compared in a test).
   */
  long flagsOffset() {
    try {
      Object flag = fuseOperations.getClass().getField("flag_nullpath_ok").get(fuseOperations);
      java.lang.reflect.Method offset = flag.getClass().getMethod("offset");
      offset.setAccessible(true);
      return (Long) offset.invoke(flag);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return 38L * jnr.ffi.Runtime.getSystemRuntime().addressSize();
    }
  }

  /** Bit of {@code flag_utime_omit_ok} in the first byte of the flags word. */
  static final int UTIME_OMIT_OK_BIT = 1 << 2;

  /** Whether {@link #allowUtimeOmit} took effect (for tests). */
  boolean utimeOmitAllowed() {
    jnr.ffi.Pointer ops = jnr.ffi.Struct.getMemory(fuseOperations);
    return (ops.getByte(flagsOffset()) & UTIME_OMIT_OK_BIT) != 0;
  }

  private final class ContextCaller implements Caller {
    @Override
    public int uid() {
      return (int) getContext().uid.get();
    }

    @Override
    public int gid() {
      return (int) getContext().gid.get();
    }
  }

  /** A direct buffer and the native pointer to the same memory. */
  private static final class Buf {
    final ByteBuffer buffer;
    final Pointer pointer;

    Buf(int size) {
      buffer = ByteBuffer.allocateDirect(size);
      pointer = Runtime.getSystemRuntime().getMemoryManager().newPointer(buffer);
    }
  }

  private Buf buffer(long size) {
    Buf b = buffers.get();
    if (b.buffer.capacity() < size) {
      b = new Buf((int) size);
      buffers.set(b);
    }
    b.buffer.clear().limit((int) size);
    return b;
  }

  /** Runs one callback: times it, and turns anything thrown into a negative errno. */
  int call(String op, String path, Op body) {
    long start = nanoTime.getAsLong();
    if (gate != null) {
      gate.touch();
    }
    try {
      return body.run();
    } catch (Throwable t) {
      int errno = ErrnoTable.errno(t);
      Throwable cause = ErrnoTable.unwrap(t);
      if (ErrnoTable.unexpected(t)) {
        log.warn("{} {} failed: {}", op, path, cause.toString());
        log.debug("{} {} stack trace", op, path, cause);
      } else {
        log.debug("{} {}: errno {}: {}", op, path, errno, cause.getMessage());
      }
      if (t instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return -errno;
    } finally {
      long took = nanoTime.getAsLong() - start;
      if (took > slowNanos) {
        log.warn("slow {} {}: {} ms", op, path, took / 1_000_000);
      }
    }
  }

  // ---------------------------------------------------------------- attributes

  @Override
  public int getattr(String path, FileStat stat) {
    return call("getattr", path, () -> fill(core.getattr(path), stat));
  }

  @Override
  public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
    return call("fgetattr", path, () -> fill(core.fgetattr(path, fi.fh.get()), stat));
  }

  private static int fill(Stat s, FileStat stat) {
    stat.st_mode.set(s.mode());
    stat.st_uid.set(s.uid());
    stat.st_gid.set(s.gid());
    stat.st_size.set(s.size());
    stat.st_nlink.set(s.nlink());
    stat.st_blksize.set(BUFFER);
    stat.st_blocks.set((s.size() + 511) / 512);
    setTime(stat.st_mtim, s.mtimeNanos());
    setTime(stat.st_atim, s.mtimeNanos());
    setTime(stat.st_ctim, s.ctimeNanos());
    return 0;
  }

  private static void setTime(Timespec t, long nanos) {
    t.tv_sec.set(Math.floorDiv(nanos, 1_000_000_000L));
    t.tv_nsec.set(Math.floorMod(nanos, 1_000_000_000L));
  }

  @Override
  public int access(String path, int mask) {
    return call(
        "access",
        path,
        () -> {
          core.access(path);
          return 0;
        });
  }

  @Override
  public int chmod(String path, @mode_t long mode) {
    return call(
        "chmod",
        path,
        () -> {
          core.chmod(path, (int) mode);
          return 0;
        });
  }

  @Override
  public int chown(String path, long uid, long gid) {
    return call(
        "chown",
        path,
        () -> {
          core.chown(path, uid, gid);
          return 0;
        });
  }

  @Override
  public int utimens(String path, Timespec[] timespec) {
    return call(
        "utimens",
        path,
        () -> {
          Timespec m = timespec[1];
          long nsec = m.tv_nsec.longValue();
          if (nsec == UTIME_OMIT) {
            return 0;
          }
          long nanos =
              nsec == UTIME_NOW
                  ? System.currentTimeMillis() * 1_000_000L
                  : m.tv_sec.get() * 1_000_000_000L + nsec;
          core.utimens(path, nanos);
          return 0;
        });
  }

  @Override
  public int statfs(String path, Statvfs stbuf) {
    return call(
        "statfs",
        path,
        () -> {
          FsStatfs s = core.statfs();
          stbuf.f_bsize.set(FsStatfs.BLOCK);
          stbuf.f_frsize.set(FsStatfs.BLOCK);
          stbuf.f_blocks.set(s.blocks());
          stbuf.f_bfree.set(s.freeBlocks());
          stbuf.f_bavail.set(s.freeBlocks());
          stbuf.f_files.set(s.files());
          stbuf.f_ffree.set(s.freeFiles());
          stbuf.f_favail.set(s.freeFiles());
          stbuf.f_namemax.set(PathMapper.MAX_NAME_BYTES);
          return 0;
        });
  }

  // ---------------------------------------------------------------- xattrs

  @Override
  public int setxattr(String path, String name, Pointer value, @size_t long size, int flags) {
    return call(
        "setxattr",
        path,
        () -> {
          byte[] v = new byte[(int) size];
          value.get(0, v, 0, v.length);
          core.setxattr(path, name, v, flags);
          return 0;
        });
  }

  @Override
  public int getxattr(String path, String name, Pointer value, @size_t long size) {
    if (!name.startsWith("user.")) {
      return -ErrorCodes.ENODATA(); // security.capability before every write: answer at once
    }
    return call(
        "getxattr",
        path,
        () -> {
          byte[] v = core.getxattr(path, name);
          return copyOut(v, value, size);
        });
  }

  @Override
  public int listxattr(String path, Pointer list, @size_t long size) {
    return call(
        "listxattr",
        path,
        () -> {
          List<String> names = core.listxattr(path);
          StringBuilder sb = new StringBuilder();
          for (String n : names) {
            sb.append(n).append('\0');
          }
          return copyOut(sb.toString().getBytes(StandardCharsets.UTF_8), list, size);
        });
  }

  private static int copyOut(byte[] v, Pointer to, long size) {
    if (size == 0) {
      return v.length;
    }
    if (v.length > size) {
      return -ErrorCodes.ERANGE();
    }
    to.put(0, v, 0, v.length);
    return v.length;
  }

  @Override
  public int removexattr(String path, String name) {
    return call(
        "removexattr",
        path,
        () -> {
          core.removexattr(path, name);
          return 0;
        });
  }

  // ---------------------------------------------------------------- folders

  @Override
  public int mkdir(String path, @mode_t long mode) {
    return call(
        "mkdir",
        path,
        () -> {
          core.mkdir(path, (int) mode, caller.uid(), caller.gid());
          return 0;
        });
  }

  @Override
  public int rmdir(String path) {
    return call(
        "rmdir",
        path,
        () -> {
          core.rmdir(path);
          return 0;
        });
  }

  @Override
  public int opendir(String path, FuseFileInfo fi) {
    return call(
        "opendir",
        path,
        () -> {
          fi.fh.set(core.opendir(path));
          return 0;
        });
  }

  @Override
  public int readdir(
      String path, Pointer buf, FuseFillDir filter, @off_t long offset, FuseFileInfo fi) {
    return call(
        "readdir",
        path,
        () -> {
          long dh = fi.fh.get();
          for (long i = offset; ; i++) {
            String name = core.readdir(dh, i);
            if (name == null || filter.apply(buf, name, null, i + 1) != 0) {
              return 0;
            }
          }
        });
  }

  @Override
  public int releasedir(String path, FuseFileInfo fi) {
    return call(
        "releasedir",
        path,
        () -> {
          core.releasedir(fi.fh.get());
          return 0;
        });
  }

  @Override
  public int fsyncdir(String path, FuseFileInfo fi) {
    return 0; // folders are ledger entries, durable once their call returned
  }

  // ---------------------------------------------------------------- files

  @Override
  public int create(String path, @mode_t long mode, FuseFileInfo fi) {
    return call(
        "create",
        path,
        () -> {
          fi.fh.set(core.create(path, (int) mode, fi.flags.get(), caller.uid(), caller.gid()));
          return 0;
        });
  }

  @Override
  public int open(String path, FuseFileInfo fi) {
    return call(
        "open",
        path,
        () -> {
          fi.fh.set(core.open(path, fi.flags.get()));
          return 0;
        });
  }

  @Override
  public int read(
      String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
    return call(
        "read",
        path,
        () -> {
          long fh = fi.fh.get();
          ByteBuffer dst = nativeView(buf, size);
          Buf b = null;
          if (dst == null) {
            b = buffer(size);
            dst = b.buffer;
          }
          int done = 0;
          while (dst.hasRemaining()) {
            int n = core.read(fh, offset + done, dst);
            if (n <= 0) {
              break;
            }
            done += n;
          }
          if (b != null) {
            b.pointer.transferTo(0, buf, 0, done);
          }
          return done;
        });
  }

  /**
   * libfuse's own buffer of a read as a ByteBuffer, so the bytes are copied once, straight from the
   * cache into it; null when {@code buf} is not native memory (tests pass arrays). The view must
   * not outlive the call. (Through {@link Buf}, jnr-ffi copied from a ByteBuffer-backed pointer to
   * the native one byte by byte.)
   */
  static ByteBuffer nativeView(Pointer buf, long size) {
    if (!buf.isDirect() || buf.address() == 0 || size > Integer.MAX_VALUE) {
      return null;
    }
    return NATIVE.newDirectByteBuffer(buf.address(), (int) size);
  }

  @Override
  public int write(
      String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
    return call(
        "write",
        path,
        () -> {
          core.write(fi.fh.get(), offset, incoming(buf, size));
          return (int) size;
        });
  }

  /**
   * The bytes of a write: a view of libfuse's own buffer when it is native memory (no copy: the
   * core writes them to the staging file before the callback returns and keeps no reference), else
   * a copy in this thread's buffer. (jnr's {@code transferFrom} from native memory into a buffer
   * copies byte by byte: about ten times the CPU of the {@code pwrite} that follows.)
   */
  private ByteBuffer incoming(Pointer buf, long size) {
    ByteBuffer view = nativeView(buf, size);
    if (view != null) {
      return view;
    }
    Buf b = buffer(size);
    b.pointer.transferFrom(0, buf, 0, size);
    return b.buffer;
  }

  @Override
  public int truncate(String path, @off_t long size) {
    return call(
        "truncate",
        path,
        () -> {
          core.truncate(path, size);
          return 0;
        });
  }

  @Override
  public int ftruncate(String path, @off_t long size, FuseFileInfo fi) {
    return call(
        "ftruncate",
        path,
        () -> {
          core.ftruncate(fi.fh.get(), size);
          return 0;
        });
  }

  @Override
  public int flush(String path, FuseFileInfo fi) {
    return call(
        "flush",
        path,
        () -> {
          core.flush(fi.fh.get());
          return 0;
        });
  }

  @Override
  public int release(String path, FuseFileInfo fi) {
    return call(
        "release",
        path,
        () -> {
          core.release(fi.fh.get());
          return 0;
        });
  }

  @Override
  public int fsync(String path, int isdatasync, FuseFileInfo fi) {
    return call(
        "fsync",
        path,
        () -> {
          core.fsync(fi.fh.get());
          return 0;
        });
  }

  @Override
  public int unlink(String path) {
    return call(
        "unlink",
        path,
        () -> {
          core.unlink(path);
          return 0;
        });
  }

  @Override
  public int rename(String oldpath, String newpath) {
    return call(
        "rename",
        oldpath + " -> " + newpath,
        () -> {
          core.rename(oldpath, newpath);
          return 0;
        });
  }

  @Override
  public int symlink(String oldpath, String newpath) {
    return call(
        "symlink",
        newpath,
        () -> {
          core.symlink(oldpath, newpath, caller.uid(), caller.gid());
          return 0;
        });
  }

  @Override
  public int readlink(String path, Pointer buf, @size_t long size) {
    return call(
        "readlink",
        path,
        () -> {
          byte[] t = core.readlink(path).getBytes(StandardCharsets.UTF_8);
          int n = (int) Math.min(t.length, size - 1);
          buf.put(0, t, 0, n);
          buf.putByte(n, (byte) 0);
          return 0;
        });
  }

  @Override
  public int link(String oldpath, String newpath) {
    return call(
        "link",
        newpath,
        () -> {
          core.link(oldpath, newpath);
          return 0;
        });
  }

  /**
   * Does nothing: jnr-fuse calls this from a JVM shutdown hook with a lazy {@code fusermount -u
   * -z}, which would detach the mount before the write-back cache drained. {@link DeossMount}
   * unmounts instead.
   */
  @Override
  public void umount() {}

  @Override
  protected String getFSName() {
    return "deoss";
  }
}
