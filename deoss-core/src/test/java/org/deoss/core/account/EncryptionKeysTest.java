package org.deoss.core.account;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.crypto.KeyWrap;
import org.deoss.core.crypto.X25519KeyPair;
import org.junit.jupiter.api.Test;

class EncryptionKeysTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void derive_isDeterministicPerSeed() {
    byte[] seed = new byte[32];
    seed[3] = 42;
    assertArrayEquals(
        EncryptionKeys.derive(AccountKeys.fromSeed(seed)).publicKey(),
        EncryptionKeys.derive(AccountKeys.fromSeed(seed)).publicKey());
  }

  @Test
  void derive_differentAccounts_differentKeys() {
    assertFalse(
        Arrays.equals(
            EncryptionKeys.derive(AccountKeys.generate(RANDOM)).publicKey(),
            EncryptionKeys.derive(AccountKeys.generate(RANDOM)).publicKey()));
  }

  @Test
  void derive_followsTheDocumentedHkdf() throws Exception {
    byte[] seed =
        HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(
            "deoss account encryption key".getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    byte[] prk = mac.doFinal(seed);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update("x25519 v1".getBytes(StandardCharsets.US_ASCII));
    mac.update((byte) 1);
    byte[] expectedPrivate = mac.doFinal();
    assertArrayEquals(
        X25519KeyPair.fromPrivateKey(expectedPrivate).publicKey(),
        EncryptionKeys.derive(AccountKeys.fromSeed(seed)).publicKey());
  }

  @Test
  void derivedKey_opensWhatWasWrappedForTheAnnouncedKey() {
    AccountKeys account = AccountKeys.generate(RANDOM);
    KeyAnnouncement announcement = KeyAnnouncement.sign(account, 1_700_000_000_000L);
    DataKey dek = DataKey.generate(RANDOM);
    byte[] info = KeyWrap.dekInfo(new byte[16]);
    byte[] wrapped = KeyWrap.wrap(announcement.x25519Public(), dek, info, RANDOM);
    assertEquals(
        HexFormat.of().formatHex(dek.bytes()),
        HexFormat.of()
            .formatHex(KeyWrap.unwrap(EncryptionKeys.derive(account), wrapped, info).bytes()));
  }
}
