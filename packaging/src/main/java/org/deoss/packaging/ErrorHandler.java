package org.deoss.packaging;

import org.deoss.core.account.WalletException;
import org.deoss.core.ledger.LedgerRejection;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception from a command into one line on standard error and an exit code: 2 for bad
 * input (an argument, a file, a passphrase, a request the ledger refused), 1 for anything else.
 * Stack traces only with {@code DEOSS_DEBUG=1}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  static final int BAD_INPUT = 2;
  static final int FAILED = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + describe(e));
    if ("1".equals(System.getenv("DEOSS_DEBUG"))) {
      e.printStackTrace(cmd.getErr());
    }
    return isBadInput(e) ? BAD_INPUT : FAILED;
  }

  private static boolean isBadInput(Exception e) {
    if (e instanceof LedgerRejection r) {
      return Rejections.isBadInput(r);
    }
    return e instanceof UserException
        || e instanceof IllegalArgumentException
        || e instanceof WalletException;
  }

  private static String describe(Throwable e) {
    if (e instanceof LedgerRejection r) {
      return Rejections.describe(r);
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
