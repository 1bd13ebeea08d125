package org.deoss.transfer.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptLogTest {
  private static final long SEED = 0x10_6L;
  @TempDir Path dir;

  private static List<Receipt> receipts(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Receipt> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] a = new byte[32];
      byte[] b = new byte[32];
      for (int j = 0; j < 32; j++) {
        a[j] = (byte) r.nextInt();
        b[j] = (byte) r.nextInt();
      }
      out.add(new Receipt(Hash256.of(a), i + 1, Hash256.of(b), r.nextInt(1000), r.nextLong()));
    }
    return out;
  }

  @Test
  void receipts_surviveReopening() throws Exception {
    Path file = dir.resolve("r.log");
    List<Receipt> rs = receipts(SEED, 10);
    try (ReceiptLog log = ReceiptLog.open(file, 100)) {
      for (Receipt r : rs) {
        log.append(r);
      }
    }
    try (ReceiptLog log = ReceiptLog.open(file, 100)) {
      for (Receipt r : rs) {
        assertEquals(Optional.of(r), log.find(r.txHash()), "seed " + SEED);
      }
    }
  }

  @Test
  void aTornOrCorruptTail_isCut_andAppendsContinueAfterIt() throws Exception {
    Path file = dir.resolve("r.log");
    List<Receipt> rs = receipts(SEED + 1, 4);
    try (ReceiptLog log = ReceiptLog.open(file, 100)) {
      for (Receipt r : rs.subList(0, 3)) {
        log.append(r);
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[2 * ReceiptLog.RECORD + 5] ^= 1; // corrupt the third record
    Files.write(file, bytes);
    Files.write(file, new byte[17], StandardOpenOption.APPEND); // and a torn one after it
    try (ReceiptLog log = ReceiptLog.open(file, 100)) {
      assertEquals(2L * ReceiptLog.RECORD, Files.size(file));
      assertTrue(log.find(rs.get(1).txHash()).isPresent());
      assertTrue(log.find(rs.get(2).txHash()).isEmpty());
      log.append(rs.get(3));
    }
    try (ReceiptLog log = ReceiptLog.open(file, 100)) {
      assertEquals(Optional.of(rs.get(3)), log.find(rs.get(3).txHash()));
    }
  }

  @Test
  void theFileIsCompactedToTheLastKeep() throws Exception {
    Path file = dir.resolve("r.log");
    List<Receipt> rs = receipts(SEED + 2, 25);
    try (ReceiptLog log = ReceiptLog.open(file, 5)) {
      for (Receipt r : rs) {
        log.append(r);
      }
      assertTrue(Files.size(file) < 10L * ReceiptLog.RECORD, "size " + Files.size(file));
    }
    try (ReceiptLog log = ReceiptLog.open(file, 5)) {
      for (int i = 0; i < rs.size(); i++) {
        assertEquals(i >= 20, log.find(rs.get(i).txHash()).isPresent(), "receipt " + i);
      }
    }
  }
}
