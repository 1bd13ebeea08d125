package org.deoss.core.access;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.deoss.core.account.AccountId;
import org.deoss.core.port.LedgerClient;

/**
 * Where {@link AccessPolicy} learns accounts' encryption keys and an owner's operators: normally
 * the ledger's key directory and authorizations ({@link #of(LedgerClient)}). Implementations are
 * thread-safe.
 */
public interface KeyDirectory {
  /** The X25519 public key {@code account} announced, if any. */
  Optional<byte[]> encryptionKey(AccountId account);

  /** The operators {@code owner} authorized. */
  List<AccountId> authorizations(AccountId owner);

  /** The ledger's key directory and authorizations, read at each call. */
  static KeyDirectory of(LedgerClient ledger) {
    Objects.requireNonNull(ledger, "ledger");
    return new KeyDirectory() {
      @Override
      public Optional<byte[]> encryptionKey(AccountId account) {
        return ledger.encryptionKey(account);
      }

      @Override
      public List<AccountId> authorizations(AccountId owner) {
        return ledger.authorizations(owner);
      }
    };
  }
}
