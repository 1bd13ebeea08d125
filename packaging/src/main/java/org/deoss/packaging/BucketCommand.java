package org.deoss.packaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deoss.core.ledger.BucketInfo;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deoss bucket create | ls | rm}: the account's buckets (the folders at a mount's root). */
@Command(
    name = "bucket",
    mixinStandardHelpOptions = true,
    description = "Create, list or delete the account's buckets.",
    subcommands = {BucketCommand.Create.class, BucketCommand.List.class, BucketCommand.Rm.class})
final class BucketCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Refuses a name the ledger would refuse, before asking for a passphrase. */
  static String checkName(String name) {
    String problem = Names.bucketNameProblem(name);
    if (problem != null) {
      throw new UserException(problem);
    }
    return name;
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a bucket: 3-63 characters of lowercase letters, digits, '.' and '-', starting and"
            + " ending with a letter or digit."
      })
  static final class Create implements Callable<Integer> {
    @Mixin AccountOptions account;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The bucket's name.")
    String name;

    @Override
    public Integer call() throws Exception {
      checkName(name);
      try (AccountOptions.Session s = account.open()) {
        s.transactions().submitAndWait(new Call.CreateBucket(s.keys.id(), name));
      }
      spec.commandLine().getOut().println("created bucket " + name);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(
      name = "ls",
      mixinStandardHelpOptions = true,
      description = "List the account's buckets: name, objects, creation time.")
  static final class List implements Callable<Integer> {
    @Mixin AccountOptions account;
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      java.util.List<BucketInfo> buckets;
      try (AccountOptions.Session s = account.open()) {
        buckets = s.ledger.buckets(s.keys.id());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        java.util.List<Map<String, Object>> rows = new ArrayList<>();
        for (BucketInfo b : buckets) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("name", b.name());
          m.put("objects", b.objectCount());
          m.put("created", Instant.ofEpochMilli(b.createdMillis()).toString());
          rows.add(m);
        }
        out.println(new ObjectMapper().writeValueAsString(rows));
      } else {
        for (BucketInfo b : buckets) {
          out.println(
              b.name() + "\t" + b.objectCount() + "\t" + Instant.ofEpochMilli(b.createdMillis()));
        }
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete an empty bucket.")
  static final class Rm implements Callable<Integer> {
    @Mixin AccountOptions account;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The bucket's name.")
    String name;

    @Override
    public Integer call() throws Exception {
      checkName(name);
      try (AccountOptions.Session s = account.open()) {
        s.transactions().submitAndWait(new Call.DeleteBucket(s.keys.id(), name));
      }
      spec.commandLine().getOut().println("deleted bucket " + name);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
