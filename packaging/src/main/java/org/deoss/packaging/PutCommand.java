package org.deoss.packaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.deoss.core.access.MissingKeyException;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.SpaceState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deoss put FILE BUCKET/KEY}: stores a file (or standard input) as an object. */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = {
      "Store FILE ('-' for standard input) as BUCKET/KEY. A new object is private; a new version"
          + " of an existing one keeps its readers (see deoss share) under a new data key."
    })
final class PutCommand implements Callable<Integer> {
  @Mixin AccountOptions account;
  @Mixin TransferOptions transfer;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The file, or '-' for stdin.")
  String file;

  @Parameters(index = "1", paramLabel = "BUCKET/KEY", description = "Where to store it.")
  String target;

  @Override
  public Integer call() throws Exception {
    ObjectPath p = ObjectPath.object(target);
    boolean stdin = file.equals("-");
    Path path = stdin ? null : Path.of(file);
    if (!stdin && !Files.isRegularFile(path)) {
      throw new UserException(
          Files.exists(path)
              ? file + " is not a regular file"
              : "no file " + file + "; give an existing file, or '-' to read standard input");
    }
    long size = stdin ? -1 : Files.size(path);
    ObjectRecord stored;
    try (AccountOptions.Session s = account.open();
        InputStream in = stdin ? new BufferedInputStream(System.in) : Files.newInputStream(path);
        TransferOptions.ProgressBarHandle bar =
            transfer.bar(spec.commandLine().getErr(), "put " + p, size)) {
      refuseIfExpired(s);
      stored = s.storage().put(p.bucket(), p.key(), in, bar.listener());
    } catch (MissingKeyException e) {
      throw new UserException("cannot keep the object shared: " + e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (transfer.json) {
      out.println(new ObjectMapper().writeValueAsString(ObjectJson.object(stored)));
    } else {
      out.println(
          "stored "
              + p
              + " ("
              + Sizes.format(stored.size())
              + ", version "
              + stored.version()
              + ", "
              + stored.access().visibility().name().toLowerCase(java.util.Locale.ROOT)
              + ")");
    }
    out.flush();
    return 0;
  }

  /**
   * Refuses before anything is uploaded when the account's space has expired (the ledger would
   * refuse the commit, after the fragments had been sent for nothing).
   */
  private static void refuseIfExpired(AccountOptions.Session s) {
    var space = s.ledger.account(s.keys.id()).space();
    if (space.state() == SpaceState.FROZEN || space.state() == SpaceState.EXPIRED) {
      throw new UserException(
          "the account's space has expired: its objects are read-only until the grace period"
              + " ends, then they are deleted (space "
              + space.state()
              + " since "
              + java.time.Instant.ofEpochMilli(space.deadlineMillis())
              + "; nothing was uploaded)");
    }
  }
}
