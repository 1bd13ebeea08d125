package org.deoss.core.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.deoss.core.ledger.codec.CodecException;
import org.junit.jupiter.api.Test;

class GenesisTest {
  private static Genesis.Builder base() {
    return Genesis.builder("net")
        .genesisTimeMillis(5)
        .endow(Fixture.keys(1).id(), 7 * Genesis.TOKEN)
        .audits(3, 2, 4, 9, 2)
        .graceMillis(1234);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  @Test
  void aRulesVersion1GenesisWithoutTheNewFields_isEncodedAsVersion1_asBefore() {
    Genesis g = base().rulesVersion(1).build();
    assertTrue(text(g.encode()).contains("deoss genesis v1"));
    Genesis back = Genesis.decode(g.encode(), ProofVerifier.merkle());
    assertEquals(1, back.rulesVersion());
    assertEquals(g.hash(), back.hash());
  }

  @Test
  void economicsDayLengthOrNewRules_makeAVersion2Genesis_thatDecodesToTheSameFields() {
    Genesis g = base().economics(11, 22).dayMillis(2000).build();
    assertTrue(text(g.encode()).contains("deoss genesis v2"));
    Genesis back = Genesis.decode(g.encode(), ProofVerifier.merkle());
    assertArrayEquals(g.encode(), back.encode());
    assertEquals(11, back.proofReward());
    assertEquals(22, back.faultPenalty());
    assertEquals(2000, back.dayMillis());
    assertEquals(1234, back.graceMillis());
    assertEquals(Genesis.RULES_VERSION, back.rulesVersion());
    assertNotEquals(base().rulesVersion(1).build().hash(), base().build().hash());
  }

  @Test
  void decode_refusesTrailingBytesAndBadValues_namingThem() {
    byte[] ok = base().build().encode();
    byte[] longer = java.util.Arrays.copyOf(ok, ok.length + 1);
    assertThrows(CodecException.class, () -> Genesis.decode(longer, ProofVerifier.merkle()));
    byte[] zeroDay = base().dayMillis(1).build().encode();
    zeroDay[zeroDay.length - 1] = 0; // dayMillis 1 -> 0
    CodecException e =
        assertThrows(CodecException.class, () -> Genesis.decode(zeroDay, ProofVerifier.merkle()));
    assertTrue(e.getMessage().contains("dayMillis"), e.getMessage());
  }
}
