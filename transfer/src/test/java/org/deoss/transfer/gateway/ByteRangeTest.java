package org.deoss.transfer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
  @Test
  void parse_whenNoHeader_isTheWholeObject() {
    assertNull(ByteRange.parse(null, 10));
  }

  @Test
  void parse_readsTheThreeForms() {
    assertEquals(new ByteRange(0, 99), ByteRange.parse("bytes=0-99", 1000));
    assertEquals(new ByteRange(900, 999), ByteRange.parse("bytes=900-", 1000));
    assertEquals(new ByteRange(900, 999), ByteRange.parse("bytes=-100", 1000));
    assertEquals("bytes 900-999/1000", ByteRange.parse("bytes=-100", 1000).contentRange(1000));
  }

  @Test
  void parse_clampsTheEndAndTheSuffixToTheObject() {
    assertEquals(new ByteRange(5, 9), ByteRange.parse("bytes=5-5000", 10));
    assertEquals(new ByteRange(0, 9), ByteRange.parse("bytes=-50", 10));
  }

  @Test
  void parse_whenStartBeyondEnd_isNotSatisfiable() {
    ByteRange.RangeError e =
        assertThrows(ByteRange.RangeError.class, () -> ByteRange.parse("bytes=10-", 10));
    assertEquals(416, e.status().code());
    assertEquals(10, e.size());
  }

  @Test
  void parse_whenMalformed_namesTheProblem() {
    for (String bad :
        new String[] {
          "items=0-1", "bytes=a-5", "bytes=5", "bytes=9-3", "bytes=-0", "bytes=0-1,4-5"
        }) {
      ByteRange.RangeError e =
          assertThrows(ByteRange.RangeError.class, () -> ByteRange.parse(bad, 10), bad);
      assertTrue(e.getMessage().contains("Range"), e.getMessage());
    }
  }

  @Test
  void parse_onAnEmptyObject_isNeverSatisfiable() {
    assertThrows(ByteRange.RangeError.class, () -> ByteRange.parse("bytes=0-", 0));
    assertThrows(ByteRange.RangeError.class, () -> ByteRange.parse("bytes=-1", 0));
  }
}
