package org.deoss.core.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.deoss.core.account.EncryptionKeys;
import org.junit.jupiter.api.Test;

class KeyDirectoryTest {

  private static byte[] key(int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return k;
  }

  @Test
  void announceKey_isReadBack_andALaterOneReplacesIt() {
    Fixture f = new Fixture();
    assertTrue(f.state.encryptionKey(f.alice.id()).isEmpty(), "nothing announced yet");
    byte[] derived = EncryptionKeys.derive(f.alice).publicKey();
    f.ok(f.alice, new Call.AnnounceKey(derived));
    assertArrayEquals(derived, f.state.encryptionKey(f.alice.id()).orElseThrow());
    assertTrue(f.state.encryptionKey(f.bob.id()).isEmpty(), "only the signer's key is set");
    f.ok(f.alice, new Call.AnnounceKey(key(7)));
    assertArrayEquals(key(7), f.state.encryptionKey(f.alice.id()).orElseThrow());
  }

  @Test
  void announceKey_refusesAKeyOfTheWrongLength() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Call.AnnounceKey(new byte[31]));
    assertTrue(e.getMessage().contains("31"), e.getMessage());
  }

  @Test
  void announcedKeys_surviveASnapshot() {
    Fixture f = new Fixture();
    f.ok(f.alice, new Call.AnnounceKey(key(1)));
    f.ok(f.carol, new Call.AnnounceKey(key(3)));
    byte[] snap = f.state.snapshot();
    LedgerState restored = LedgerState.restore(f.genesis, snap);
    assertArrayEquals(key(1), restored.encryptionKey(f.alice.id()).orElseThrow());
    assertArrayEquals(key(3), restored.encryptionKey(f.carol.id()).orElseThrow());
    assertFalse(restored.encryptionKey(f.bob.id()).isPresent());
    assertArrayEquals(snap, restored.snapshot());
  }

  @Test
  void aVersion1Snapshot_isStillRead_withNoKeys() {
    Fixture f = new Fixture().standard();
    byte[] v1 = StateCodec.encode(f.state, 1);
    LedgerState restored = LedgerState.restore(f.genesis, v1);
    assertEquals(f.state.head(), restored.head());
    // v1 has no reward pool (v4): compare in v1
    assertArrayEquals(v1, StateCodec.encode(restored, 1), "v1 restores to the same state");
    assertEquals(f.state.account(f.alice.id()), restored.account(f.alice.id()));
  }

  @Test
  void aVersion1Snapshot_cannotCarryAKey() {
    Fixture f = new Fixture();
    f.ok(f.alice, new Call.AnnounceKey(key(1)));
    assertThrows(IllegalStateException.class, () -> StateCodec.encode(f.state, 1));
  }
}
