package org.deoss.transfer.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.hash.FragmentMerkle;
import org.deoss.core.hash.Hash256;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.InMemoryFragmentStore;
import org.deoss.transfer.miner.server.Admission;
import org.deoss.transfer.miner.server.DeletionPolicy;
import org.deoss.transfer.miner.server.MinerServer;
import org.deoss.transfer.miner.server.MinerServerOptions;
import org.junit.jupiter.api.Test;

/** The protocol inside TLS, with a self-signed certificate the client trusts. */
class TlsLoopbackTest {
  @Test
  @SuppressWarnings("deprecation") // SelfSignedCertificate: fine for a test certificate
  void putAndGet_overTls_andAPlainClientIsRefused() throws Exception {
    SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
    SslContext serverTls =
        SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
    SslContext clientTls = SslContextBuilder.forClient().trustManager(cert.cert()).build();
    AccountKeys minerKeys = AccountKeys.generate(TestMiner.RANDOM);
    AccountKeys clientKeys = AccountKeys.generate(TestMiner.RANDOM);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    MinerServer server =
        new MinerServer(
            minerKeys,
            new InMemoryFragmentStore(8 << 20),
            Admission.ANYONE,
            DeletionPolicy.ALWAYS,
            executor,
            MinerServerOptions.defaults("127.0.0.1", 0),
            TestMiner.RANDOM,
            serverTls);
    try {
      InetSocketAddress address = server.start();
      InetSocketAddress byName = new InetSocketAddress("localhost", address.getPort());
      byte[] data = new byte[2_000_000];
      new SplittableRandom(5).nextBytes(data);
      Hash256 id = FragmentMerkle.root(data, 0, data.length);
      try (MinerConnection c =
          MinerConnection.connect(
                  group,
                  byName,
                  minerKeys.id(),
                  clientKeys,
                  ClientOptions.defaults(),
                  TestMiner.RANDOM,
                  clientTls)
              .get(30, TimeUnit.SECONDS)) {
        c.put(id, ByteBuffer.wrap(data)).get(30, TimeUnit.SECONDS);
        ByteBuffer back = c.get(id).get(30, TimeUnit.SECONDS);
        byte[] out = new byte[back.remaining()];
        back.get(out);
        assertArrayEquals(data, out);
      }
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () ->
                  MinerConnection.connect(
                          group,
                          address,
                          minerKeys.id(),
                          clientKeys,
                          ClientOptions.defaults(),
                          TestMiner.RANDOM)
                      .get(30, TimeUnit.SECONDS));
      assertInstanceOf(FragmentStoreException.class, e.getCause());
    } finally {
      server.stop();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      executor.shutdownNow();
      cert.delete();
    }
  }
}
