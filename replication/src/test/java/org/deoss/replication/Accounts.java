package org.deoss.replication;

import org.deoss.core.account.AccountKeys;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.SignedTransaction;

/** Funded test accounts on a test network. */
final class Accounts {
  static final String NET = "deoss-repl-test";
  static final long T0 = 1_700_000_000_000L;

  private Accounts() {}

  static AccountKeys keys(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    seed[1] = (byte) (n >> 8);
    seed[31] = 9;
    return AccountKeys.fromSeed(seed);
  }

  static Genesis genesis() {
    Genesis.Builder b = Genesis.builder(NET).genesisTimeMillis(T0);
    for (int i = 1; i <= 4; i++) {
      b.endow(keys(i).id(), 1_000 * Genesis.TOKEN);
    }
    return b.build();
  }

  /** A transfer of {@code amount} from account {@code from} to account {@code to}. */
  static SignedTransaction transfer(int from, long nonce, int to, long amount) {
    return SignedTransaction.sign(keys(from), NET, nonce, new Call.Transfer(keys(to).id(), amount));
  }
}
