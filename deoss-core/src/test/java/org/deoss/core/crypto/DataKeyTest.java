package org.deoss.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DataKeyTest {
  @Test
  void generate_gives32RandomBytes() {
    SecureRandom random = new SecureRandom();
    DataKey a = DataKey.generate(random);
    DataKey b = DataKey.generate(random);
    assertTrue(a.bytes().length == DataKey.LENGTH);
    assertFalse(Arrays.equals(a.bytes(), b.bytes()));
  }

  @Test
  void of_copiesInput_andBytesReturnsCopies() {
    byte[] raw = new byte[32];
    raw[0] = 7;
    DataKey key = DataKey.of(raw);
    raw[0] = 8;
    byte[] out = key.bytes();
    assertArrayEquals(new byte[] {7}, Arrays.copyOf(out, 1));
    out[0] = 9;
    assertArrayEquals(new byte[] {7}, Arrays.copyOf(key.bytes(), 1));
  }

  @Test
  void of_wrongLength_namesIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DataKey.of(new byte[31]));
    assertTrue(e.getMessage().contains("31"), e.getMessage());
  }

  @Test
  void destroy_wipesAndForbidsUse() {
    DataKey key = DataKey.of(new byte[32]);
    key.destroy();
    assertTrue(key.isDestroyed());
    assertThrows(IllegalStateException.class, key::bytes);
    assertFalse(key.toString().contains("0"));
  }
}
