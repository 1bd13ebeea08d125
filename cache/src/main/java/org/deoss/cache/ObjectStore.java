package org.deoss.cache;

import java.security.SecureRandom;
import java.util.Objects;
import org.deoss.core.access.AccessPolicy;
import org.deoss.core.access.KeyDirectory;
import org.deoss.core.account.AccountId;
import org.deoss.core.crypto.X25519KeyPair;
import org.deoss.core.pipeline.ObjectWriter;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.TxBuilder;

/**
 * What the write-back cache needs to read bases and commit new versions for one account: the ledger
 * and a transaction builder signing as that account, the account's X25519 key pair (to open data
 * keys and wrap new ones), the pipeline writer, and randomness for object ids and keys.
 *
 * @param account the account that signs, reads and owns what the cache creates
 */
public record ObjectStore(
    LedgerClient ledger,
    TxBuilder tx,
    AccountId account,
    X25519KeyPair encryption,
    ObjectWriter writer,
    SecureRandom random) {
  /**
   * Who may read the versions this store commits: new objects private, new versions with the
   * readers of the version they replace, operators authorized now (see {@link AccessPolicy}).
   */
  public AccessPolicy policy() {
    return new AccessPolicy(account, encryption.publicKey(), KeyDirectory.of(ledger), random);
  }

  public ObjectStore {
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(tx, "tx");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(encryption, "encryption");
    Objects.requireNonNull(writer, "writer");
    Objects.requireNonNull(random, "random");
  }
}
