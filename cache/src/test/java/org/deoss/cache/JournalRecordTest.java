package org.deoss.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.BitSet;
import java.util.Map;
import java.util.SplittableRandom;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.PosixAttributes;
import org.junit.jupiter.api.Test;

class JournalRecordTest {
  private static JournalRecord sample(Hash256 fid) {
    BitSet touched = new BitSet();
    touched.set(2);
    touched.set(70);
    BitSet present = new BitSet();
    present.set(0, 3);
    byte[] owner = new byte[32];
    owner[5] = 9;
    return new JournalRecord(
        "00ff",
        new ObjectPath(AccountId.of(owner), "bucket", "dir/ünïcode file.txt"),
        true,
        17,
        0,
        1 << 20,
        5_000_000,
        4_000_000,
        true,
        touched,
        present,
        PosixAttributes.of(
            0100755, 1000, 100, 123, 456, "target", Map.of("user.tag", new byte[] {1, 2})),
        fid);
  }

  @Test
  void encodeDecode_roundTripsEveryField() throws IOException {
    for (Hash256 fid : new Hash256[] {null, Hash256.digest(new byte[] {1})}) {
      JournalRecord r = sample(fid);
      assertEquals(r, JournalRecord.decode(r.encode()));
    }
  }

  @Test
  void decode_anyFlippedByteOrTruncation_isRefusedNamingTheProblem() {
    byte[] good = sample(null).encode();
    SplittableRandom random = new SplittableRandom(41);
    for (int i = 0; i < 200; i++) {
      byte[] bad = good.clone();
      int at = random.nextInt(bad.length);
      bad[at] ^= (byte) (1 + random.nextInt(255));
      IOException e =
          assertThrows(IOException.class, () -> JournalRecord.decode(bad), "flip at " + at);
      assertTrue(e.getMessage().contains("journal record"), e.getMessage());
    }
    for (int n : new int[] {0, 3, good.length / 2, good.length - 1}) {
      byte[] cut = java.util.Arrays.copyOf(good, n);
      assertThrows(IOException.class, () -> JournalRecord.decode(cut), "cut at " + n);
    }
  }
}
