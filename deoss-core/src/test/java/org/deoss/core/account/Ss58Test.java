package org.deoss.core.account;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Ss58Test {
  // The well-known development account "Alice" of Substrate.
  private static final byte[] ALICE =
      HexFormat.of().parseHex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");

  @Test
  void encode_genericPrefix_matchesKnownAddress() {
    assertEquals("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", Ss58.encode(42, ALICE));
  }

  @Test
  void encode_cessPrefix_matchesThePublishedAliceAddress() {
    // CESS documentation and SDKs list this address for the development account //Alice.
    assertEquals(
        "cXjmuHdBk4J3Zyt2oGodwGegNFaTFPcfC48PZ9NMmcUFzF6cc", Ss58.encode(Ss58.CESS_PREFIX, ALICE));
    assertEquals(
        "cXjmuHdBk4J3Zyt2oGodwGegNFaTFPcfC48PZ9NMmcUFzF6cc", AccountId.of(ALICE).address());
    assertArrayEquals(
        ALICE, AccountId.parse("cXjmuHdBk4J3Zyt2oGodwGegNFaTFPcfC48PZ9NMmcUFzF6cc").toBytes());
  }

  @Test
  void prefixBytes_cess_areThe0x50_0xACPair() {
    assertArrayEquals(new byte[] {0x50, (byte) 0xAC}, Ss58.prefixBytes(Ss58.CESS_PREFIX));
  }

  @Test
  void encode_cessPrefix_startsWithCx_andDecodesBack() {
    String address = Ss58.encode(Ss58.CESS_PREFIX, ALICE);
    assertTrue(address.startsWith("cX"), address);
    Ss58.Decoded decoded = Ss58.decode(address);
    assertEquals(Ss58.CESS_PREFIX, decoded.prefix());
    assertArrayEquals(ALICE, decoded.publicKey());
  }

  @Test
  void roundTrip_randomKeysAndPrefixes() {
    long seed = 20261124L;
    SplittableRandom random = new SplittableRandom(seed);
    int[] prefixes = {0, 2, 42, 63, 64, 255, 256, 11330, 16383};
    for (int i = 0; i < 500; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      int prefix = prefixes[i % prefixes.length];
      Ss58.Decoded d = Ss58.decode(Ss58.encode(prefix, key));
      assertEquals(prefix, d.prefix(), "seed " + seed + " iteration " + i);
      assertArrayEquals(key, d.publicKey(), "seed " + seed + " iteration " + i);
    }
  }

  @Test
  void decode_oneCharacterChanged_failsOnChecksum() {
    String address = Ss58.encode(Ss58.CESS_PREFIX, ALICE);
    char last = address.charAt(address.length() - 1);
    String typo = address.substring(0, address.length() - 1) + (last == 'a' ? 'b' : 'a');
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Ss58.decode(typo));
    assertTrue(
        e.getMessage().contains("checksum") || e.getMessage().contains("bytes"), e.getMessage());
  }

  @Test
  void decode_nonBase58Character_namesIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Ss58.decode("cX0OIl"));
    assertTrue(e.getMessage().contains("'0'"), e.getMessage());
  }

  @Test
  void accountId_parse_rejectsOtherNetworks() {
    String polkadot = Ss58.encode(0, ALICE);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AccountId.parse(polkadot));
    assertTrue(e.getMessage().contains("prefix 0"), e.getMessage());
  }

  @Test
  void accountKeys_signAndVerify_andRejectForgery() {
    AccountKeys keys = AccountKeys.fromSeed(new byte[32]);
    byte[] msg = "hello".getBytes();
    byte[] sig = keys.sign(msg);
    assertTrue(keys.id().verify(msg, sig));
    sig[5] ^= 1;
    assertEquals(false, keys.id().verify(msg, sig));
    assertEquals(false, keys.id().verify(msg, new byte[3]));
  }

  @Test
  void accountKeys_rfc8032Vector1_publicKeyAndSignature() {
    // RFC 8032 section 7.1, TEST 1 (empty message).
    HexFormat hex = HexFormat.of();
    AccountKeys keys =
        AccountKeys.fromSeed(
            hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertEquals(
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", keys.id().toHex());
    assertEquals(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        hex.formatHex(keys.sign(new byte[0])));
  }
}
