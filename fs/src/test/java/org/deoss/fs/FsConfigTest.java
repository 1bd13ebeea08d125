package org.deoss.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.deoss.cache.CacheConfig;
import org.junit.jupiter.api.Test;
import ru.serce.jnrfuse.ErrorCodes;

/** Mount options, path mapping and the mount table parser. */
class FsConfigTest {
  private static final MountOptions BASE =
      MountOptions.defaults(Path.of("/mnt/x"), CacheConfig.defaults(Path.of("/c")), 1000, 1000);

  @Test
  void options_badBucketName_isRefusedNamingKeyAndValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BASE.withBucket("Bad_Name"));
    assertTrue(e.getMessage().startsWith("mount.bucket = Bad_Name: "), e.getMessage());
  }

  @Test
  void options_negativeTimeoutOrSpacedOption_isRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BASE.withTimeouts(Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO));
    assertTrue(e.getMessage().startsWith("mount.attrTimeout = "), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BASE.withOptions("allow other"));
  }

  @Test
  void options_giveTheRecommendedLibfuseSet() {
    List<String> args = BASE.withOptions("allow_other").fuseArguments("cXabc");
    assertEquals("-o", args.get(0));
    for (String o :
        List.of(
            "big_writes",
            "max_write=131072",
            "max_read=131072",
            "atomic_o_trunc",
            "default_permissions",
            "fsname=deoss:cXabc",
            "subtype=deoss",
            "attr_timeout=1.000",
            "entry_timeout=1.000",
            "negative_timeout=1.000")) {
      assertTrue(List.of(args.get(1).split(",")).contains(o), o + " in " + args);
    }
    assertEquals(List.of("-o", "allow_other"), args.subList(2, 4));
  }

  @Test
  void mapper_sendsDotEntriesAndNonBucketNamesToTheReservedBucket() throws Exception {
    PathMapper m = new PathMapper(null, "deoss-root-entries");
    assertEquals(FsPath.Kind.ROOT, m.map("/").kind());
    FsPath b = m.map("/photos");
    assertEquals(FsPath.Kind.BUCKET, b.kind());
    assertEquals("photos", b.bucket());
    FsPath e = m.map("/photos/2024/a.jpg");
    assertEquals("2024/a.jpg", e.key());
    FsPath t = m.map("/.Trash-1000/files/x");
    assertEquals("deoss-root-entries", t.bucket());
    assertEquals(".Trash-1000/files/x", t.key());
    assertEquals("deoss-root-entries", m.map("/My Files").bucket());
    assertEquals("deoss-root-entries", m.map("/deoss-root-entries").bucket());
    assertEquals("notes.txt", m.rootFile(m.map("/notes.txt")).key());
  }

  @Test
  void mapper_withOneBucket_mapsEverythingIntoIt() throws Exception {
    PathMapper m = new PathMapper("files", "deoss-root-entries");
    assertEquals(FsPath.Kind.BUCKET, m.map("/").kind());
    assertEquals("files", m.map("/.Trash-0/x").bucket());
    assertEquals(".Trash-0/x", m.map("/.Trash-0/x").key());
  }

  @Test
  void mapper_longNames_areENAMETOOLONG() {
    PathMapper m = new PathMapper(null, "r-bucket");
    FsException e = assertThrows(FsException.class, () -> m.map("/files/" + "é".repeat(128)));
    assertEquals(ErrorCodes.ENAMETOOLONG(), e.errno());
  }

  @Test
  void mountTable_unescapesOctal() {
    assertEquals("/mnt/my dir\\x", MountTable.unescape("/mnt/my\\040dir\\134x"));
    assertEquals("/plain", MountTable.unescape("/plain"));
  }
}
