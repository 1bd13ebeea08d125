package org.deoss.transfer.client;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.deoss.core.account.AccountId;

/**
 * A miner as the ledger's registry lists it: its account, where it listens, its failure domain and
 * its free bytes.
 */
public record MinerEndpoint(
    AccountId account, InetSocketAddress endpoint, String zone, long freeBytes) {
  public MinerEndpoint {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(endpoint, "endpoint");
    if (freeBytes < 0) {
      throw new IllegalArgumentException(
          "free bytes of " + account + " must not be negative, got " + freeBytes);
    }
  }
}
