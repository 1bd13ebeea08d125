package org.deoss.core.ledger.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helpers for record logs. */
final class Records {
  private Records() {}

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Payload i: "record-i" padded with i % 23 dots, so sizes vary (and record 0 is non-empty). */
  static byte[] payload(int i) {
    return bytes("record-" + i + ".".repeat(i % 23));
  }

  /** Every durable record from {@code from}, as text, checking that sequences are consecutive. */
  static List<String> replayText(RecordLog log, long from) throws IOException {
    List<String> out = new ArrayList<>();
    long[] expected = {from};
    log.replay(
        from,
        (seq, p) -> {
          if (seq != expected[0]) {
            throw new AssertionError("expected sequence " + expected[0] + ", got " + seq);
          }
          expected[0]++;
          out.add(text(p));
        });
    return out;
  }

  static List<String> payloadTexts(int fromIndex, int toExclusive) {
    List<String> out = new ArrayList<>();
    for (int i = fromIndex; i < toExclusive; i++) {
      out.add(text(payload(i)));
    }
    return out;
  }
}
