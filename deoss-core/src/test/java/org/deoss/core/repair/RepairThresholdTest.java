package org.deoss.core.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RepairThresholdTest {
  @Test
  void default_isKPlusTwo_whichIsSixForRs4Plus8() {
    assertEquals("k+2", RepairThreshold.DEFAULT.toString());
    assertEquals(6, RepairThreshold.DEFAULT.at(4, 12));
    assertEquals(4, RepairThreshold.DEFAULT.at(2, 4));
  }

  @Test
  void parse_readsEachForm_andPrintsItBack() {
    for (String t : new String[] {"k+2", "k+0", "k", "7", "0", "n"}) {
      RepairThreshold r = RepairThreshold.parse(t);
      assertEquals(r, RepairThreshold.parse(r.toString()), t);
    }
    assertEquals(5, RepairThreshold.parse("k+1").at(4, 12));
    assertEquals(4, RepairThreshold.parse("k").at(4, 12));
    assertEquals(7, RepairThreshold.parse(" 7 ").at(4, 12));
    assertEquals(12, RepairThreshold.parse("n").at(4, 12));
  }

  @Test
  void parse_refusesMalformedOrNegativeText_namingIt() {
    for (String t : new String[] {"", "k-1", "k+", "-3", "m+2", "six", "k+x"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> RepairThreshold.parse(t), t);
      assertTrue(e.getMessage().contains("'" + t + "'"), e.getMessage());
    }
  }
}
