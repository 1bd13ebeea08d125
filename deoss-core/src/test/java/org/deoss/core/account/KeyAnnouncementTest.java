package org.deoss.core.account;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.deoss.core.crypto.X25519KeyPair;
import org.junit.jupiter.api.Test;

class KeyAnnouncementTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long NOW = 1_764_000_000_000L;

  private final AccountKeys keys = AccountKeys.generate(RANDOM);
  private final KeyAnnouncement announcement = KeyAnnouncement.sign(keys, NOW);

  @Test
  void sign_announcesTheDerivedKey_andVerifies() {
    assertTrue(announcement.verify());
    assertEquals(keys.id(), announcement.account());
    assertEquals(NOW, announcement.issuedAtMillis());
    assertArrayEquals(EncryptionKeys.derive(keys).publicKey(), announcement.x25519Public());
  }

  @Test
  void verify_forgedSignature_fails() {
    byte[] sig = announcement.signature();
    sig[10] ^= 1;
    assertFalse(
        new KeyAnnouncement(announcement.account(), announcement.x25519Public(), NOW, sig)
            .verify());
  }

  @Test
  void verify_swappedKey_fails() {
    byte[] other = X25519KeyPair.generate(RANDOM).publicKey();
    assertFalse(
        new KeyAnnouncement(announcement.account(), other, NOW, announcement.signature()).verify());
  }

  @Test
  void verify_wrongAccount_fails() {
    AccountId other = AccountKeys.generate(RANDOM).id();
    assertFalse(
        new KeyAnnouncement(other, announcement.x25519Public(), NOW, announcement.signature())
            .verify());
  }

  @Test
  void verify_changedTime_fails() {
    assertFalse(
        new KeyAnnouncement(
                announcement.account(),
                announcement.x25519Public(),
                NOW + 1,
                announcement.signature())
            .verify());
  }

  @Test
  void signedBytes_areLabelAccountKeyAndTime() {
    byte[] bytes = announcement.signedBytes();
    assertEquals(32 + 32 + 32 + 8, bytes.length);
    assertEquals(
        "deoss x25519 key announcement v1",
        new String(bytes, 0, 32, java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Test
  void record_copiesArrays_andComparesByContent() {
    byte[] key = announcement.x25519Public();
    key[0] ^= 1;
    assertTrue(announcement.verify());
    assertEquals(announcement, KeyAnnouncement.sign(keys, NOW));
    assertEquals(announcement.hashCode(), KeyAnnouncement.sign(keys, NOW).hashCode());
  }

  @Test
  void constructor_wrongLengths_nameThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new KeyAnnouncement(keys.id(), new byte[31], NOW, new byte[64]));
    assertTrue(e.getMessage().contains("31"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new KeyAnnouncement(keys.id(), new byte[32], NOW, new byte[63]));
  }
}
