package org.deoss.packaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.deoss.core.access.AccessPolicy.Grants;
import org.deoss.core.access.MissingKeyException;
import org.deoss.core.account.AccountId;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.Visibility;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deoss share BUCKET/KEY (--with A | --revoke A | --public | --private | --list)}. */
@Command(
    name = "share",
    mixinStandardHelpOptions = true,
    description = {
      "Change or show who may read BUCKET/KEY. The owner always reads; accounts the owner"
          + " authorized read the versions written while they are authorized.",
      "--with wraps the object's data key for ACCOUNT (which must have published its key by"
          + " running any deoss command once). --revoke removes ACCOUNT now, and the next version"
          + " gets a new data key, which ACCOUNT cannot open. --public publishes the data key;"
          + " --private makes the object the owner's only again. New versions keep these readers."
    })
final class ShareCommand implements Callable<Integer> {
  @Mixin AccountOptions account;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BUCKET/KEY", description = "The object.")
  String target;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Change change;

  @Option(names = "--json", description = "Print the readers as JSON.")
  boolean json;

  static final class Change {
    @Option(names = "--with", paramLabel = "ACCOUNT", description = "Share with ACCOUNT.")
    String with;

    @Option(names = "--revoke", paramLabel = "ACCOUNT", description = "Stop sharing with it.")
    String revoke;

    @Option(names = "--public", description = "Let anyone read it.")
    boolean makePublic;

    @Option(names = "--private", description = "Owner only: no grantees, not public.")
    boolean makePrivate;

    @Option(names = "--list", description = "Show who can read it; change nothing.")
    boolean list;
  }

  @Override
  public Integer call() throws Exception {
    ObjectPath p = ObjectPath.object(target);
    AccountId with = change.with == null ? null : Accounts.parse(change.with, "--with");
    AccountId revoke = change.revoke == null ? null : Accounts.parse(change.revoke, "--revoke");
    ObjectRecord record;
    String done;
    try (AccountOptions.Session s = account.open()) {
      ObjectRecord now =
          s.ledger
              .object(s.keys.id(), p.bucket(), p.key())
              .orElseThrow(() -> new UserException("no object " + p + " (see: deoss ls)"));
      Grants grants = s.storage().policy().grantsOf(now.access());
      UnaryOperator<Grants> op;
      if (change.list) {
        op = null;
        done = null;
      } else if (with != null) {
        if (with.equals(s.keys.id())) {
          throw new UserException("the owner always reads its objects; give another account");
        }
        if (grants.visibility() == Visibility.PUBLIC) {
          throw new UserException(
              p + " is public: everyone reads it; make it --private first to share it narrowly");
        }
        op = g -> g.with(with);
        done = "shared " + p + " with " + with;
      } else if (revoke != null) {
        if (!grants.grantees().contains(revoke)) {
          throw new UserException(
              p + " is not shared with " + revoke + " (see: deoss share --list " + p + ")");
        }
        op = g -> g.without(revoke);
        done = "revoked " + revoke + " from " + p + "; its next version gets a new data key";
      } else if (change.makePublic) {
        op = Grants::asPublic;
        done = p + " is public";
      } else {
        op = Grants::asPrivate;
        done = p + " is private";
      }
      try {
        record = op == null ? now : s.storage().share(p.bucket(), p.key(), op);
      } catch (MissingKeyException e) {
        throw new UserException(e.getMessage(), e);
      } catch (NoSuchElementException e) {
        throw new UserException(e.getMessage() + " (see: deoss ls)", e);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> readers = ObjectJson.readers(record);
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(readers));
    } else if (done != null) {
      out.println(done);
    } else {
      out.println(p + ": " + record.access().visibility().name().toLowerCase(Locale.ROOT));
      out.println("owner    " + readers.get("owner"));
      print(out, "grantee  ", readers.get("grantees"));
      print(out, "operator ", readers.get("operators"));
    }
    out.flush();
    return 0;
  }

  private static void print(PrintWriter out, String label, Object list) {
    for (Object a : (List<?>) list) {
      out.println(label + a);
    }
  }
}
