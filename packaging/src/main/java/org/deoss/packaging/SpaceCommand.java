package org.deoss.packaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deoss.core.ledger.AccountInfo;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.SpaceInfo;
import org.deoss.core.ledger.SpaceState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deoss space buy | show}: the account's purchased storage space. */
@Command(
    name = "space",
    mixinStandardHelpOptions = true,
    description = "Buy storage space for the wallet's account, or show what it holds.",
    subcommands = {SpaceCommand.Buy.class, SpaceCommand.Show.class})
final class SpaceCommand implements Runnable {
  private static final double GIB = 1024.0 * 1024 * 1024;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "buy",
      mixinStandardHelpOptions = true,
      description = {
        "Buy GiB of space for DAYS days, paid from the account's tokens (GiB x days x the"
            + " network's unit price). An account holds one purchase at a time."
      })
  static final class Buy implements Callable<Integer> {
    @Mixin AccountOptions account;
    @Spec CommandSpec spec;

    @Option(names = "--gib", required = true, paramLabel = "N", description = "GiB to buy.")
    long gib;

    @Option(names = "--days", required = true, paramLabel = "D", description = "Days to hold it.")
    long days;

    @Override
    public Integer call() throws Exception {
      if (gib < 1) {
        throw new UserException("--gib " + gib + ": buy at least 1 GiB");
      }
      if (days < 1) {
        throw new UserException("--days " + days + ": buy at least 1 day");
      }
      try (AccountOptions.Session s = account.open()) {
        long before = s.ledger.account(s.keys.id()).balance();
        s.transactions().submitAndWait(new Call.BuySpace(gib, days));
        AccountInfo after = s.ledger.account(s.keys.id());
        PrintWriter out = spec.commandLine().getOut();
        out.println(
            "bought "
                + gib
                + " GiB for "
                + days
                + " days, until "
                + Instant.ofEpochMilli(after.space().deadlineMillis())
                + "; paid "
                + FaucetCommand.tokens(before - after.balance())
                + " tokens, balance "
                + FaucetCommand.tokens(after.balance())
                + " tokens");
        out.flush();
      }
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show the account's space: state, purchased, used and free bytes, deadline.")
  static final class Show implements Callable<Integer> {
    @Mixin AccountOptions account;
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      AccountInfo info;
      try (AccountOptions.Session s = account.open()) {
        info = s.ledger.account(s.keys.id());
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(json ? new ObjectMapper().writeValueAsString(asMap(info)) : asText(info));
      out.flush();
      return 0;
    }
  }

  static Map<String, Object> asMap(AccountInfo info) {
    SpaceInfo space = info.space();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("account", info.id().address());
    m.put("balance", FaucetCommand.tokens(info.balance()));
    m.put("state", space.state().name());
    m.put("purchasedBytes", space.purchasedBytes());
    m.put("usedBytes", space.usedBytes());
    m.put("freeBytes", space.freeBytes());
    m.put("start", space.state() == SpaceState.NONE ? null : instant(space.startMillis()));
    m.put("deadline", space.state() == SpaceState.NONE ? null : instant(space.deadlineMillis()));
    return m;
  }

  static String asText(AccountInfo info) {
    SpaceInfo space = info.space();
    StringBuilder b = new StringBuilder();
    b.append("account   ").append(info.id().address()).append('\n');
    b.append("balance   ").append(FaucetCommand.tokens(info.balance())).append(" tokens\n");
    b.append("state     ").append(space.state()).append('\n');
    if (space.state() == SpaceState.NONE) {
      b.append("no space purchased; buy some with: deoss space buy --gib N --days D");
      return b.toString();
    }
    b.append("purchased ").append(gib(space.purchasedBytes())).append('\n');
    b.append("used      ").append(gib(space.usedBytes())).append('\n');
    b.append("free      ").append(gib(space.freeBytes())).append('\n');
    b.append("deadline  ").append(instant(space.deadlineMillis()));
    return b.toString();
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.3f GiB (%d bytes)", bytes / GIB, bytes);
  }

  private static String instant(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
