package org.deoss.packaging;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.concurrent.Callable;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code deoss faucet}: claims the development network's free tokens for the wallet's account. */
@Command(
    name = "faucet",
    mixinStandardHelpOptions = true,
    description = {
      "Claim free tokens from the network's faucet for the wallet's account (development"
          + " networks; the genesis limits how often). Prints the new balance."
    })
final class FaucetCommand implements Callable<Integer> {
  @Mixin AccountOptions account;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (AccountOptions.Session s = account.open()) {
      long before = s.ledger.account(s.keys.id()).balance();
      s.transactions().submitAndWait(new Call.Faucet());
      s.transactions().announceKeyIfMissing();
      long after = s.ledger.account(s.keys.id()).balance();
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "claimed " + tokens(after - before) + " tokens; balance " + tokens(after) + " tokens");
      out.flush();
    }
    return 0;
  }

  /** An amount in tokens (the ledger counts in fractions of {@link Genesis#TOKEN}). */
  static String tokens(long units) {
    return BigDecimal.valueOf(units)
        .divide(BigDecimal.valueOf(Genesis.TOKEN))
        .stripTrailingZeros()
        .toPlainString();
  }
}
