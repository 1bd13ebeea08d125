package org.deoss.packaging;

import java.util.concurrent.Callable;
import org.deoss.core.ledger.Call;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deoss rm BUCKET/KEY}: deletes an object. */
@Command(
    name = "rm",
    mixinStandardHelpOptions = true,
    description = {
      "Delete BUCKET/KEY. Its space is freed at once; miners drop the fragments later."
    })
final class RmCommand implements Callable<Integer> {
  @Mixin AccountOptions account;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BUCKET/KEY", description = "The object.")
  String target;

  @Override
  public Integer call() throws Exception {
    ObjectPath p = ObjectPath.object(target);
    try (AccountOptions.Session s = account.open()) {
      s.transactions().submitAndWait(new Call.DeleteObject(s.keys.id(), p.bucket(), p.key()));
    }
    spec.commandLine().getOut().println("deleted " + p);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
