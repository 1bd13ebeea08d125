package org.deoss.packaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import org.deoss.core.access.NotAReaderException;
import org.deoss.core.account.AccountId;
import org.deoss.core.ledger.ObjectRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deoss get BUCKET/KEY [FILE]}: reads an object into a file or standard output. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Read BUCKET/KEY into FILE (default, or '-': standard output). With --owner, read another"
          + " account's object that is shared with this one or public.",
      "A FILE is written whole or not at all: the bytes go to FILE.part, renamed when complete."
    })
final class GetCommand implements Callable<Integer> {
  @Mixin AccountOptions account;
  @Mixin TransferOptions transfer;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BUCKET/KEY", description = "The object.")
  String source;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "FILE",
      description = "Where to write it ('-' or absent: standard output).")
  String file;

  @Option(
      names = "--owner",
      paramLabel = "ADDRESS",
      description = "The account that owns the object (default: this wallet's account).")
  String owner;

  @Override
  public Integer call() throws Exception {
    ObjectPath p = ObjectPath.object(source);
    AccountId ownerId = owner == null ? null : Accounts.parse(owner, "--owner");
    boolean stdout = file == null || file.equals("-");
    Path target = stdout ? null : Path.of(file);
    Path part = stdout ? null : target.resolveSibling(target.getFileName() + ".part");
    if (!stdout && Files.isDirectory(target)) {
      throw new UserException(file + " is a folder; give a file name");
    }
    ObjectRecord record;
    try (AccountOptions.Session s = account.open()) {
      AccountId from = ownerId == null ? s.keys.id() : ownerId;
      long size = s.ledger.object(from, p.bucket(), p.key()).map(ObjectRecord::size).orElse(-1L);
      try (OutputStream out =
              stdout
                  ? new NonClosing(System.out)
                  : new BufferedOutputStream(Files.newOutputStream(part));
          TransferOptions.ProgressBarHandle bar =
              transfer.bar(spec.commandLine().getErr(), "get " + p, size)) {
        record = s.storage().get(from, p.bucket(), p.key(), out, bar.listener());
      } catch (NoSuchElementException e) {
        throw new UserException(
            e.getMessage() + (ownerId == null ? " (another account's? add --owner ADDRESS)" : ""),
            e);
      } catch (NotAReaderException e) {
        throw new UserException(
            "this account ("
                + s.keys.id()
                + ") may not read "
                + p
                + " of "
                + from
                + ": it is not shared with it ("
                + e.getMessage()
                + ")",
            e);
      }
    } catch (RuntimeException | java.io.IOException e) {
      if (part != null) {
        Files.deleteIfExists(part);
      }
      throw e;
    }
    if (!stdout) {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    PrintWriter err = spec.commandLine().getErr();
    if (transfer.json) {
      PrintWriter out = spec.commandLine().getOut();
      if (stdout) {
        err.println(new ObjectMapper().writeValueAsString(ObjectJson.object(record)));
      } else {
        out.println(new ObjectMapper().writeValueAsString(ObjectJson.object(record)));
        out.flush();
      }
    } else if (!stdout) {
      PrintWriter out = spec.commandLine().getOut();
      out.println("wrote " + p + " to " + file + " (" + Sizes.format(record.size()) + ")");
      out.flush();
    }
    err.flush();
    return 0;
  }

  /** Standard output that the transfer may flush but not close. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws java.io.IOException {
      out.flush();
    }
  }
}
