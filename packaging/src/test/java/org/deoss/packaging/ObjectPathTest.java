package org.deoss.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ObjectPathTest {
  @Test
  void object_splitsAtTheFirstSlash() {
    assertEquals(new ObjectPath("photos", "2024/a.jpg"), ObjectPath.object("photos/2024/a.jpg"));
  }

  @Test
  void object_withoutAKey_saysHowToWriteIt() {
    for (String bad : new String[] {"photos", "photos/", "/a.jpg"}) {
      UserException e = assertThrows(UserException.class, () -> ObjectPath.object(bad));
      assertTrue(e.getMessage().contains("BUCKET/KEY"), e.getMessage());
    }
  }

  @Test
  void object_withABadBucketName_namesIt() {
    UserException e = assertThrows(UserException.class, () -> ObjectPath.object("Ab/c"));
    assertTrue(e.getMessage().contains("'Ab'"), e.getMessage());
  }

  @Test
  void prefix_mayBeABucketAlone() {
    assertEquals(new ObjectPath("photos", ""), ObjectPath.prefix("photos"));
    assertEquals(new ObjectPath("photos", "2024/"), ObjectPath.prefix("photos/2024/"));
  }
}
