package org.deoss.transfer.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import org.deoss.core.account.AccountId;
import org.deoss.core.ledger.Names;

/** Reading the parts of a request that several routes share: names, accounts, lengths. */
final class Requests {
  private Requests() {}

  static Authenticator.Credentials credentials(Exchange ex) {
    return new Authenticator.Credentials(
        ex.header(Authenticator.ACCOUNT),
        ex.header(Authenticator.MESSAGE),
        ex.header(Authenticator.SIGNATURE));
  }

  /**
   * The signer, who must have authorized this gateway on the ledger to have it write for them.
   *
   * @throws GatewayError 401 (signature) or 403 (not authorized)
   */

  /** The account a listing is about: query {@code Account}, else the header; no signature. */
  static AccountId accountParam(Exchange ex) {
    String a = ex.param("Account", "account");
    if (a == null) {
      a = ex.header(Authenticator.ACCOUNT);
    }
    if (a == null) {
      throw GatewayError.badRequest("Please set your Account in the header or url (?Account=)");
    }
    try {
      return AccountId.parse(a.strip());
    } catch (IllegalArgumentException e) {
      throw GatewayError.badRequest(
          "Account '" + a + "' is not an SS58 address: " + e.getMessage());
    }
  }

  static void checkKey(String key) {
    String problem = key == null ? "it is empty" : Names.keyProblem(key);
    if (problem != null) {
      throw GatewayError.badRequest("object key '" + key + "': " + problem);
    }
  }

  static long declaredLength(Exchange ex) {
    String v = ex.header(HttpHeaderNames.CONTENT_LENGTH);
    try {
      return v == null ? -1 : Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw GatewayError.badRequest("Content-Length '" + v + "' is not a number");
    }
  }

  static AccountId parseAccount(String s) {
    if (s.length() < 40) {
      return null; // bucket names are at most 63 characters, addresses about 49
    }
    try {
      return AccountId.parse(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
