package org.deoss.packaging;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deoss.core.ledger.BucketInfo;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.ObjectRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code deoss ls [BUCKET[/PREFIX]] | --shared}: lists like {@code aws s3 ls}, one ledger page at a
 * time, so a huge bucket is never held in memory.
 */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    description = {
      "List the objects of BUCKET under PREFIX: folders as 'PRE name/', objects as date, time"
          + " (UTC), size and key. Without an argument, list the buckets. With --shared, list the"
          + " objects other accounts share with this one (OWNER/BUCKET/KEY)."
    })
final class LsCommand implements Callable<Integer> {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Mixin AccountOptions account;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "BUCKET[/PREFIX]",
      description = "What to list; a PREFIX ending in '/' lists inside that folder.")
  String target;

  @Option(
      names = {"-r", "--recursive"},
      description = "List every key under the prefix instead of rolling folders up.")
  boolean recursive;

  @Option(names = "--shared", description = "List what other accounts share with this one.")
  boolean shared;

  @Option(names = "--json", description = "Print one JSON object per line.")
  boolean json;

  @Option(
      names = "--page-size",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Entries asked of the ledger at a time (default: ${DEFAULT-VALUE}).")
  int pageSize;

  private final ObjectMapper mapper =
      new ObjectMapper().configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

  @Override
  public Integer call() throws Exception {
    if (pageSize < 1 || pageSize > 100_000) {
      throw new UserException("--page-size must be 1..100000, got " + pageSize);
    }
    if (shared && target != null) {
      throw new UserException("give either --shared or BUCKET[/PREFIX], not both");
    }
    ObjectPath p = target == null ? null : ObjectPath.prefix(target);
    PrintWriter out = spec.commandLine().getOut();
    try (AccountOptions.Session s = account.open()) {
      if (shared) {
        listShared(s, out);
      } else if (p == null) {
        listBuckets(s, out);
      } else {
        listObjects(s, p, out);
      }
    }
    out.flush();
    return 0;
  }

  private void listBuckets(AccountOptions.Session s, PrintWriter out) throws Exception {
    for (BucketInfo b : s.ledger.buckets(s.keys.id())) {
      if (json) {
        line(out, Map.of("bucket", b.name(), "created", created(b.createdMillis())));
      } else {
        out.println(WHEN.format(Instant.ofEpochMilli(b.createdMillis())) + " " + b.name());
      }
    }
  }

  private static String created(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  private void listObjects(AccountOptions.Session s, ObjectPath p, PrintWriter out)
      throws Exception {
    String delimiter = recursive ? "" : "/";
    String next = null;
    do {
      ListPage page = s.ledger.list(s.keys.id(), p.bucket(), p.key(), delimiter, next, pageSize);
      int oi = 0;
      int pi = 0;
      // Objects and folders come back as two sorted lists: merge them into key order.
      while (oi < page.objects().size() || pi < page.commonPrefixes().size()) {
        boolean takePrefix =
            oi == page.objects().size()
                || (pi < page.commonPrefixes().size()
                    && page.commonPrefixes().get(pi).compareTo(page.objects().get(oi).key()) < 0);
        if (takePrefix) {
          folder(out, p, page.commonPrefixes().get(pi++));
        } else {
          object(out, p, page.objects().get(oi++));
        }
      }
      out.flush();
      next = page.next();
    } while (next != null);
  }

  private void folder(PrintWriter out, ObjectPath p, String prefix) throws Exception {
    String name = prefix.substring(p.key().length());
    if (json) {
      line(out, Map.of("prefix", prefix));
    } else {
      out.println(String.format(Locale.ROOT, "%30s %s", "PRE", name));
    }
  }

  private void object(PrintWriter out, ObjectPath p, ObjectRecord o) throws Exception {
    if (json) {
      line(out, ObjectJson.object(o));
    } else {
      String name = recursive ? o.key() : o.key().substring(p.key().length());
      out.println(
          String.format(
              Locale.ROOT,
              "%s %10d %s",
              WHEN.format(Instant.ofEpochMilli(o.modifiedMillis())),
              o.size(),
              name));
    }
  }

  private void listShared(AccountOptions.Session s, PrintWriter out) throws Exception {
    String next = null;
    do {
      ListPage page = s.ledger.sharedWith(s.keys.id(), next, pageSize);
      for (ObjectRecord o : page.objects()) {
        if (json) {
          line(out, ObjectJson.object(o));
        } else {
          out.println(
              String.format(
                  Locale.ROOT,
                  "%s %10d %s/%s/%s",
                  WHEN.format(Instant.ofEpochMilli(o.modifiedMillis())),
                  o.size(),
                  o.owner().address(),
                  o.bucket(),
                  o.key()));
        }
      }
      out.flush();
      next = page.next();
    } while (next != null);
  }

  private void line(PrintWriter out, Object value) throws Exception {
    out.println(mapper.writeValueAsString(value));
  }
}
