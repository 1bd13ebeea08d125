package org.deoss.packaging;

import java.util.concurrent.Callable;
import org.deoss.core.account.AccountId;
import org.deoss.core.ledger.Call;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deoss authorize ACCOUNT}: lets an operator (a gateway, a mount) act for the account. */
@Command(
    name = "authorize",
    mixinStandardHelpOptions = true,
    description = {
      "Let ACCOUNT (a gateway or mount operator) write the account's buckets and objects, and"
          + " read every version written from now on (its data key is wrapped for ACCOUNT too)."
          + " At most 20 operators."
    })
final class AuthorizeCommand implements Callable<Integer> {
  @Mixin AccountOptions account;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "ACCOUNT",
      description = "The operator's address.")
  String operator;

  @Option(names = "--list", description = "Print the operators the account has authorized.")
  boolean list;

  @Override
  public Integer call() throws Exception {
    if (list == (operator != null)) {
      throw new UserException("give either ACCOUNT or --list");
    }
    if (list) {
      try (AccountOptions.Session s = account.open()) {
        for (AccountId a : s.ledger.authorizations(s.keys.id())) {
          spec.commandLine().getOut().println(a);
        }
      }
      spec.commandLine().getOut().flush();
      return 0;
    }
    AccountId op = Accounts.parse(operator, "ACCOUNT");
    try (AccountOptions.Session s = account.open()) {
      if (op.equals(s.keys.id())) {
        throw new UserException("an account cannot authorize itself; give another address");
      }
      s.transactions().submitAndWait(new Call.Authorize(op));
      String note =
          s.ledger.encryptionKey(op).isPresent()
              ? ""
              : " (it has published no encryption key yet: new versions are wrapped for it once"
                  + " it runs any deoss command)";
      spec.commandLine().getOut().println("authorized " + op + note);
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
