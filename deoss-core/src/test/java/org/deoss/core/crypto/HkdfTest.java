package org.deoss.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HkdfTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void derive_rfc5869TestCase1_matchesFirst32BytesOfOkm() {
    byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
    byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
    assertEquals(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf",
        HEX.formatHex(Hkdf.derive(ikm, salt, info, 32)));
  }
}
