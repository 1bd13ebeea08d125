package org.deoss.packaging;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What this machine does without DeOSS, measured beside each {@code deoss bench} figure: memory
 * copy, SHA-256, loopback TCP and disk write+fsync. Each returns MB/s (10^6 bytes per second).
 */
final class BenchBaselines {
  private static final int MIB = 1 << 20;

  private BenchBaselines() {}

  /** Copies {@code bytes} bytes from {@code block} (repeated) with {@code System.arraycopy}. */
  static double arraycopy(byte[] block, long bytes) {
    byte[] copy = new byte[block.length];
    long start = System.nanoTime();
    for (long done = 0; done < bytes; ) {
      int n = (int) Math.min(block.length, bytes - done);
      System.arraycopy(block, 0, copy, 0, n);
      done += n;
    }
    long nanos = System.nanoTime() - start;
    if (copy[0] != block[0]) {
      throw new IllegalStateException("copy differs from its source");
    }
    return BenchReport.mbPerSecond(bytes, nanos);
  }

  /** SHA-256 of {@code bytes} bytes of {@code block} (repeated). */
  static double sha256(byte[] block, long bytes) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-256", e);
    }
    long start = System.nanoTime();
    for (long done = 0; done < bytes; ) {
      int n = (int) Math.min(block.length, bytes - done);
      digest.update(block, 0, n);
      done += n;
    }
    digest.digest();
    return BenchReport.mbPerSecond(bytes, System.nanoTime() - start);
  }

  /** Sends {@code bytes} bytes over one loopback TCP connection to a reader thread. */
  static double loopbackTcp(long bytes) throws IOException, InterruptedException {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      AtomicReference<IOException> failure = new AtomicReference<>();
      Thread reader =
          new Thread(
              () -> {
                try (SocketChannel s = server.accept()) {
                  ByteBuffer buf = ByteBuffer.allocateDirect(MIB);
                  while (s.read(buf) >= 0) {
                    buf.clear();
                  }
                } catch (IOException e) {
                  failure.set(e);
                }
              },
              "bench-tcp-reader");
      reader.setDaemon(true);
      reader.start();
      long start = System.nanoTime();
      try (SocketChannel c = SocketChannel.open(server.getLocalAddress())) {
        ByteBuffer buf = ByteBuffer.allocateDirect(MIB);
        for (long sent = 0; sent < bytes; ) {
          buf.clear();
          buf.limit((int) Math.min(MIB, bytes - sent));
          sent += buf.remaining();
          while (buf.hasRemaining()) {
            c.write(buf);
          }
        }
      }
      reader.join();
      if (failure.get() != null) {
        throw failure.get();
      }
      return BenchReport.mbPerSecond(bytes, System.nanoTime() - start);
    }
  }

  /** Writes {@code bytes} bytes to a new file in {@code dir}, forces it, deletes it. */
  static double diskWriteFsync(Path dir, long bytes) throws IOException {
    Path file = Files.createTempFile(dir, "disk-baseline", ".bin");
    try {
      ByteBuffer buf = ByteBuffer.allocateDirect(MIB);
      long start = System.nanoTime();
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        for (long written = 0; written < bytes; ) {
          buf.clear();
          buf.limit((int) Math.min(MIB, bytes - written));
          written += buf.remaining();
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
        }
        ch.force(true);
      }
      return BenchReport.mbPerSecond(bytes, System.nanoTime() - start);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Whether the Vector API module is loaded (the fast Reed-Solomon kernel needs it). */
  static boolean vectorApi() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }
}
