package org.deoss.transfer.miner.server;

import io.netty.handler.ssl.SslContext;
import java.security.SecureRandom;
import java.util.concurrent.Executor;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.port.FragmentStore;

/**
 * What every connection of one server shares. Immutable; the parts are thread-safe. {@code tls} is
 * {@code null} for plain TCP.
 */
record ServerContext(
    AccountKeys keys,
    FragmentStore store,
    Admission admission,
    DeletionPolicy deletion,
    Executor storeExecutor,
    MinerServerOptions options,
    SecureRandom random,
    SslContext tls) {}
