package org.deoss.packaging;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.Wallet;
import org.deoss.core.port.TxBuilder;
import org.deoss.transfer.client.StorageClient;
import org.deoss.transfer.node.RemoteLedgerClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of the account commands (faucet, space, bucket): the home, the ledger node and the
 * wallet's passphrase; opens a {@link Session} on the node for the wallet's account.
 */
final class AccountOptions {
  @Mixin HomeOptions home;

  @Option(
      names = "--node",
      paramLabel = "URL",
      description = "Ledger node URL (default: the URL in HOME/node.url, as deoss node writes).")
  URI node;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description =
          "Read the wallet passphrase from FILE (else $DEOSS_PASSPHRASE, else HOME/passphrase as"
              + " deoss up writes it, else a prompt).")
  Path passphraseFile;

  /** The node to talk to: {@code --node}, else the URL in HOME/node.url. */
  URI nodeUrl() throws IOException {
    return home.node(node);
  }

  /**
   * Opens the wallet (asking for its passphrase) and a client of the node, and publishes the
   * account's encryption key if the ledger does not hold it yet, so others can share with it.
   */
  Session open() throws IOException {
    Path wallet = home.wallet();
    if (!Files.exists(wallet)) {
      throw new UserException("no wallet at " + wallet + "; create one with: deoss wallet create");
    }
    URI url = nodeUrl();
    AccountKeys keys =
        Wallet.open(wallet, Passphrases.read(home.passphraseFile(passphraseFile), false));
    Session s =
        new Session(keys, RemoteLedgerClient.connect(url, RemoteLedgerClient.Options.defaults()));
    try {
      announceKey(s);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /**
   * Publishes the account's encryption key if the ledger lacks it. Another process may sign for the
   * same account at the same moment (a running miner's heartbeats): a BAD_NONCE refusal changed
   * nothing and is retried with a fresh nonce; if the race goes on, the command runs without it
   * (the next command announces the key).
   */
  private static void announceKey(Session s) {
    try {
      s.transactions().announceKeyIfMissing();
    } catch (org.deoss.core.ledger.LedgerRejection e) {
      if (e.reason() != org.deoss.core.ledger.LedgerRejection.Reason.BAD_NONCE) {
        throw e;
      }
    }
  }

  /** An account's keys and a ledger client; closing it closes the client and wipes the keys. */
  static final class Session implements AutoCloseable {
    final AccountKeys keys;
    final RemoteLedgerClient ledger;
    private TxBuilder tx;
    private StorageClient storage;

    Session(AccountKeys keys, RemoteLedgerClient ledger) {
      this.keys = keys;
      this.ledger = ledger;
    }

    /** Signs and submits transactions for the account (made on first use). */
    TxBuilder transactions() {
      if (storage != null) {
        return storage.transactions();
      }
      if (tx == null) {
        tx = new TxBuilder(ledger, keys);
      }
      return tx;
    }

    /**
     * Puts and gets objects for the account (made on first use; it signs with its own builder, so
     * use its {@link StorageClient#transactions()} once it exists).
     */
    StorageClient storage() {
      if (storage == null) {
        storage = new StorageClient(keys, ledger, Pipelines.forThisJvm());
      }
      return storage;
    }

    @Override
    public void close() {
      if (storage != null) {
        storage.close();
      }
      ledger.close();
      keys.destroy();
    }
  }
}
