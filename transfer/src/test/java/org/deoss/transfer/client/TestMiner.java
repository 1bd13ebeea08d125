package org.deoss.transfer.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.port.FragmentStore;
import org.deoss.core.port.InMemoryFragmentStore;
import org.deoss.transfer.miner.server.Admission;
import org.deoss.transfer.miner.server.DeletionPolicy;
import org.deoss.transfer.miner.server.MinerServer;
import org.deoss.transfer.miner.server.MinerServerOptions;

/** A miner on loopback port 0 over an in-memory store, and a client event loop group. */
final class TestMiner implements AutoCloseable {
  static final SecureRandom RANDOM = new SecureRandom();

  final AccountKeys minerKeys = AccountKeys.generate(RANDOM);
  final AccountKeys clientKeys = AccountKeys.generate(RANDOM);
  final FragmentStore store;
  final ExecutorService storeExecutor = Executors.newFixedThreadPool(2);
  final EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  final MinerServer server;
  final InetSocketAddress address;

  TestMiner(long capacity) {
    this(
        new InMemoryFragmentStore(capacity),
        MinerServerOptions.defaults("127.0.0.1", 0),
        Admission.ANYONE,
        DeletionPolicy.ALWAYS);
  }

  TestMiner(
      FragmentStore store,
      MinerServerOptions options,
      Admission admission,
      DeletionPolicy deletion) {
    this.store = store;
    this.server =
        new MinerServer(minerKeys, store, admission, deletion, storeExecutor, options, RANDOM);
    this.address = server.start();
  }

  MinerConnection connect() throws Exception {
    return connect(ClientOptions.defaults());
  }

  MinerConnection connect(ClientOptions options) throws Exception {
    return MinerConnection.connect(
            clientGroup, address, minerKeys.id(), clientKeys, options, RANDOM)
        .get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    server.stop();
    clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    storeExecutor.shutdownNow();
  }
}
