package org.deoss.transfer.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body as an {@link InputStream}: the event loop {@link #offer}s the content buffers it
 * decodes, a route's thread reads them. At most {@code highWater} bytes wait here: above it the
 * channel stops reading from the socket (TCP flow control then slows the client), and reading
 * resumes once the route has drained below {@code highWater / 2}. So an upload of any size holds a
 * bounded amount of memory.
 *
 * <p>Every buffer offered is released exactly once: when read, or by {@link #close} (a route that
 * gave up) or {@link #abort} (the connection closed). Threads: {@link #offer}, {@link #end} and
 * {@link #abort} on the event loop; {@link #read} and {@link #close} on the route's thread.
 */
final class RequestBody extends InputStream {
  private final Channel channel;
  private final long maxBytes;
  private final int highWater;
  private final Runnable onFirstRead;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
  private long queued;
  private long received;
  private boolean ended;
  private boolean closed;
  private IOException failure;
  private boolean started;

  /** When the route began waiting on an empty queue (System.nanoTime), or 0. */
  private long starvedSince;

  /**
   * @param maxBytes largest body accepted; more makes {@link #read} fail with 413
   * @param onFirstRead run once, on the first read (sends {@code 100 Continue} when asked for)
   */
  RequestBody(Channel channel, long maxBytes, int highWater, Runnable onFirstRead) {
    this.channel = channel;
    this.maxBytes = maxBytes;
    this.highWater = highWater;
    this.onFirstRead = onFirstRead;
  }

  /** Takes ownership of {@code content}. */
  void offer(ByteBuf content) {
    lock.lock();
    try {
      if (closed || failure != null) {
        content.release();
        return;
      }
      received += content.readableBytes();
      if (received > maxBytes) {
        content.release();
        fail(
            new GatewayError(
                io.netty.handler.codec.http.HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "request body is larger than the gateway's limit of " + maxBytes + " bytes"));
        return;
      }
      if (!content.isReadable()) {
        content.release();
        return;
      }
      queue.add(content);
      queued += content.readableBytes();
      if (queued > highWater) {
        channel.config().setAutoRead(false);
      }
      ready.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The last content arrived. */
  void end() {
    lock.lock();
    try {
      ended = true;
      ready.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The connection closed (or the body turned bad) before the route read it all. */
  void abort(IOException cause) {
    lock.lock();
    try {
      if (!ended) {
        fail(cause);
      }
    } finally {
      lock.unlock();
    }
  }

  private void fail(Exception cause) {
    failure = cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    releaseAll();
    ready.signalAll();
  }

  /**
   * Whether the route has been waiting for bytes that did not come for at least {@code nanos} (the
   * client is idle, not the gateway busy).
   */
  boolean starvedFor(long nanos) {
    lock.lock();
    try {
      return !ended && starvedSince != 0 && System.nanoTime() - starvedSince >= nanos;
    } finally {
      lock.unlock();
    }
  }

  boolean ended() {
    lock.lock();
    try {
      return ended;
    } finally {
      lock.unlock();
    }
  }

  long received() {
    lock.lock();
    try {
      return received;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    boolean first;
    lock.lock();
    try {
      first = !started;
      started = true;
    } finally {
      lock.unlock();
    }
    if (first) {
      onFirstRead.run();
    }
    lock.lock();
    try {
      while (true) {
        if (failure != null) {
          throw rethrow(failure);
        }
        if (closed) {
          throw new IOException("request body closed");
        }
        ByteBuf head = queue.peek();
        if (head != null) {
          starvedSince = 0;
          int n = Math.min(len, head.readableBytes());
          head.readBytes(b, off, n);
          queued -= n;
          if (!head.isReadable()) {
            queue.poll().release();
          }
          if (queued < highWater / 2 && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
          }
          return n;
        }
        if (ended) {
          return -1;
        }
        if (!channel.isActive()) {
          throw new IOException("the client closed the connection during the upload");
        }
        if (starvedSince == 0) {
          starvedSince = System.nanoTime();
        }
        ready.await(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading the request body");
    } finally {
      lock.unlock();
    }
  }

  private static IOException rethrow(IOException failure) {
    if (failure.getCause() instanceof GatewayError g) {
      throw new GatewayError(g.status(), g.getMessage());
    }
    return new IOException(failure.getMessage(), failure);
  }

  /** Releases what is queued; later content is released on arrival. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      releaseAll();
    } finally {
      lock.unlock();
    }
  }

  private void releaseAll() {
    ByteBuf b;
    while ((b = queue.poll()) != null) {
      b.release();
    }
    queued = 0;
  }
}
