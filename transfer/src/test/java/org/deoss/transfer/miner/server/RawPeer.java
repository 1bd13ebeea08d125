package org.deoss.transfer.miner.server;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.deoss.transfer.protocol.Frame;
import org.deoss.transfer.protocol.FrameType;
import org.deoss.transfer.protocol.HandshakeSignatures;

/** A blocking socket peer that writes whatever bytes a test wants, for fuzz and timeout tests. */
final class RawPeer implements AutoCloseable {
  /** A frame as read off the wire. */
  record RawFrame(int type, long id, byte[] payload) {}

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawPeer(InetSocketAddress address, int readTimeoutMillis) throws IOException {
    socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout(readTimeoutMillis);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  static byte[] frame(int version, int type, long id, byte[] payload) {
    return ByteBuffer.allocate(Frame.HEADER_LENGTH + payload.length)
        .putInt(Frame.MAGIC)
        .put((byte) version)
        .put((byte) type)
        .putShort((short) 0)
        .putLong(id)
        .putInt(payload.length)
        .put(payload)
        .array();
  }

  /** Writes bytes; false if the server has already closed. */
  boolean write(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  void shutdownOutput() {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      // already closed by the server
    }
  }

  /** The next frame, or {@code null} at end of stream or reset. */
  RawFrame read() throws IOException {
    try {
      int magic = in.readInt();
      if (magic != Frame.MAGIC) {
        throw new IOException("server sent bad magic " + Integer.toHexString(magic));
      }
      in.readUnsignedByte();
      int type = in.readUnsignedByte();
      in.readUnsignedShort();
      long id = in.readLong();
      byte[] payload = new byte[in.readInt()];
      in.readFully(payload);
      return new RawFrame(type, id, payload);
    } catch (EOFException | SocketException e) {
      return null;
    }
  }

  /** Reads frames until the server closes; fails if it does not within the read timeout. */
  int drainUntilClosed() throws IOException {
    int frames = 0;
    try {
      while (read() != null) {
        frames++;
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("server kept the connection open", e);
    }
    return frames;
  }

  /** A correct client handshake with {@code keys} against {@code miner}. */
  void handshake(AccountKeys keys, AccountId miner, byte[] nonce) throws IOException {
    byte[] hello =
        ByteBuffer.allocate(66)
            .put((byte) 1)
            .put((byte) 1)
            .put(nonce)
            .put(keys.id().toBytes())
            .array();
    write(frame(1, FrameType.HELLO.code(), 0, hello));
    RawFrame ack = read();
    if (ack == null || ack.type() != FrameType.HELLO_ACK.code()) {
      throw new IOException("no HELLO_ACK: " + ack);
    }
    byte[] minerNonce = java.util.Arrays.copyOfRange(ack.payload(), 1, 33);
    byte[] sig = keys.sign(HandshakeSignatures.clientMessage(minerNonce, keys.id(), miner));
    write(frame(1, FrameType.AUTH.code(), 0, sig));
    RawFrame ok = read();
    if (ok == null || ok.type() != FrameType.AUTH_OK.code()) {
      throw new IOException("no AUTH_OK: " + ok);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
