package org.deoss.packaging;

import java.util.concurrent.Callable;
import org.deoss.core.account.AccountId;
import org.deoss.core.ledger.Call;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deoss deauthorize ACCOUNT}: withdraws an operator's right to act for the account. */
@Command(
    name = "deauthorize",
    mixinStandardHelpOptions = true,
    description = {
      "Stop ACCOUNT from acting for the account. Versions written from now on are not wrapped"
          + " for it and use a new data key; versions it could read before stay readable to it"
          + " until they are replaced."
    })
final class DeauthorizeCommand implements Callable<Integer> {
  @Mixin AccountOptions account;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The operator's address.")
  String operator;

  @Override
  public Integer call() throws Exception {
    AccountId op = Accounts.parse(operator, "ACCOUNT");
    try (AccountOptions.Session s = account.open()) {
      if (!s.ledger.authorizations(s.keys.id()).contains(op)) {
        throw new UserException(
            op + " is not authorized by this account (see: deoss authorize --list)");
      }
      s.transactions().submitAndWait(new Call.Deauthorize(op));
    }
    spec.commandLine().getOut().println("deauthorized " + op);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
