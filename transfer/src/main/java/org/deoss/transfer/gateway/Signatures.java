package org.deoss.transfer.gateway;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.deoss.core.account.AccountId;

/**
 * Decodes the {@code Signature} header and checks it. DeOSS clients send the 64 signature bytes as
 * hex (with or without {@code 0x}; polkadot.js and the miners), base58 (the Go SDK) and, in some
 * scripts, base64; every reading that yields 64 bytes is tried. As in DeOSS, a signature over the
 * message wrapped in {@code <Bytes>...</Bytes>} (what polkadot.js {@code signRaw} signs) is
 * accepted too.
 */
final class Signatures {
  static final int LENGTH = 64;
  private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

  private Signatures() {}

  /** The 64-byte readings of {@code text}; empty when it is no known encoding of 64 bytes. */
  static List<byte[]> decodings(String text) {
    List<byte[]> out = new ArrayList<>(3);
    String s = text.strip();
    String hex = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
    if (hex.length() == 2 * LENGTH && hex.chars().allMatch(Signatures::isHex)) {
      out.add(hexBytes(hex));
    }
    for (Base64.Decoder d : new Base64.Decoder[] {Base64.getDecoder(), Base64.getUrlDecoder()}) {
      try {
        byte[] b = d.decode(s);
        if (b.length == LENGTH) {
          out.add(b);
          break;
        }
      } catch (IllegalArgumentException e) {
        // not this encoding
      }
    }
    byte[] b58 = base58(s);
    if (b58 != null && b58.length == LENGTH) {
      out.add(b58);
    }
    return out;
  }

  /** The first reading of {@code signature} that verifies, or null when none does. */
  static byte[] verified(AccountId account, String message, String signature) {
    byte[] plain = message.getBytes(StandardCharsets.UTF_8);
    byte[] wrapped = ("<Bytes>" + message + "</Bytes>").getBytes(StandardCharsets.UTF_8);
    for (byte[] sig : decodings(signature)) {
      if (account.verify(plain, sig) || account.verify(wrapped, sig)) {
        return sig;
      }
    }
    return null;
  }

  static String hex(byte[] b) {
    StringBuilder s = new StringBuilder(b.length * 2);
    for (byte x : b) {
      s.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
    }
    return s.toString();
  }

  private static boolean isHex(int c) {
    return Character.digit(c, 16) >= 0;
  }

  private static byte[] hexBytes(String hex) {
    String h = hex.toLowerCase(Locale.ROOT);
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h, 2 * i, 2 * i + 2, 16);
    }
    return b;
  }

  /** Bitcoin-alphabet base58, or null when {@code s} has another character or is too long. */
  static byte[] base58(String s) {
    if (s.isEmpty() || s.length() > 100) {
      return null;
    }
    BigInteger n = BigInteger.ZERO;
    int zeros = 0;
    boolean leading = true;
    for (int i = 0; i < s.length(); i++) {
      int d = BASE58.indexOf(s.charAt(i));
      if (d < 0) {
        return null;
      }
      if (leading && d == 0) {
        zeros++;
      } else {
        leading = false;
      }
      n = n.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(d));
    }
    byte[] mag = n.signum() == 0 ? new byte[0] : n.toByteArray();
    int skip = mag.length > 0 && mag[0] == 0 ? 1 : 0;
    byte[] out = new byte[zeros + mag.length - skip];
    System.arraycopy(mag, skip, out, zeros, mag.length - skip);
    return out;
  }

  /** Encodes in base58 (tests and clients). */
  static String toBase58(byte[] b) {
    int zeros = 0;
    while (zeros < b.length && b[zeros] == 0) {
      zeros++;
    }
    BigInteger n = new BigInteger(1, b);
    StringBuilder s = new StringBuilder();
    BigInteger base = BigInteger.valueOf(58);
    while (n.signum() > 0) {
      BigInteger[] qr = n.divideAndRemainder(base);
      s.append(BASE58.charAt(qr[1].intValue()));
      n = qr[0];
    }
    for (int i = 0; i < zeros; i++) {
      s.append('1');
    }
    return s.reverse().toString();
  }
}
