package org.deoss.tests.gateway;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.deoss.core.account.AccountKeys;

/** The gateway's request-signature headers of an account, as curl arguments. */
public final class SignedHeaders {
  private SignedHeaders() {}

  /** {@code -H Account: .. -H Message: <now in ms, unique> -H Signature: <hex>}. */
  public static List<String> curlArgs(AccountKeys keys) {
    return curlArgs(keys, uniqueMillis());
  }

  /** The same for a given message. */
  public static List<String> curlArgs(AccountKeys keys, String message) {
    byte[] sig = keys.sign(message.getBytes(StandardCharsets.UTF_8));
    return List.of(
        "-H",
        "Account: " + keys.id().address(),
        "-H",
        "Message: " + message,
        "-H",
        "Signature: " + HexFormat.of().formatHex(sig));
  }

  private static long last;

  /** Milliseconds now, but never the same value twice in this JVM. */
  public static synchronized String uniqueMillis() {
    long now = Math.max(System.currentTimeMillis(), last + 1);
    last = now;
    return Long.toString(now);
  }
}
