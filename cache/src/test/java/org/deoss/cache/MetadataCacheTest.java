package org.deoss.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.PosixAttributes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataCacheTest {
  @TempDir Path dir;
  private final StoreFixture fx = new StoreFixture();
  private final AtomicLong nanos = new AtomicLong();
  private final MetadataCache meta =
      MetadataCache.create(fx.ledger, Duration.ofSeconds(2), Duration.ofSeconds(1), nanos::get);

  @AfterEach
  void stop() {
    fx.close();
  }

  /** Commits {@code key} through a cache that does not share {@link #meta}: another client. */
  private void putElsewhere(String key, String content) throws IOException {
    WriteBackCache other =
        WriteBackCache.open(
            StoreFixture.config(dir.resolve("other")),
            fx.store,
            fx.segmentCache(),
            fx.noMetadata(),
            new FakeScheduler(),
            Runnable::run,
            fx.wallClock);
    try (FileHandle h =
        other.open(
            fx.path(key),
            EnumSet.of(OpenFlag.CREATE, OpenFlag.TRUNCATE),
            PosixAttributes.file(0100644, 1))) {
      h.write(0, ByteBuffer.wrap(content.getBytes()));
      h.fsync();
    }
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void missingKey_isRememberedUntilTheNegativeTtlEnds() throws IOException {
    assertTrue(meta.object(fx.path("x")).isEmpty());
    putElsewhere("x", "1");
    advance(Duration.ofMillis(999));
    assertTrue(meta.object(fx.path("x")).isEmpty(), "negative entry still trusted");
    advance(Duration.ofMillis(1));
    assertEquals(1, meta.object(fx.path("x")).orElseThrow().size());
  }

  @Test
  void record_isTrustedForTheTtl_thenReloaded() throws IOException {
    putElsewhere("y", "1");
    assertEquals(1, meta.object(fx.path("y")).orElseThrow().size());
    putElsewhere("y", "22");
    advance(Duration.ofMillis(1999));
    assertEquals(1, meta.object(fx.path("y")).orElseThrow().size(), "stale within the TTL");
    advance(Duration.ofMillis(1));
    assertEquals(2, meta.object(fx.path("y")).orElseThrow().size());
  }

  @Test
  void ownWrite_invalidatesTheRecordAndTheListingsThatShowIt() throws IOException {
    assertTrue(meta.object(fx.path("dir/a")).isEmpty());
    ListPage before = meta.list(fx.path("dir/"), "/", null, 100);
    assertEquals(0, before.objects().size());
    WriteBackCache own =
        WriteBackCache.open(
            StoreFixture.config(dir.resolve("own")),
            fx.store,
            fx.segmentCache(),
            meta,
            new FakeScheduler(),
            Runnable::run,
            fx.wallClock);
    try (FileHandle h =
        own.open(fx.path("dir/a"), EnumSet.of(OpenFlag.CREATE), PosixAttributes.file(0100644, 1))) {
      h.write(0, ByteBuffer.wrap("abc".getBytes()));
      h.fsync();
    }
    assertEquals(3, meta.object(fx.path("dir/a")).orElseThrow().size(), "no TTL wait");
    assertEquals(1, meta.list(fx.path("dir/"), "/", null, 100).objects().size());
    assertEquals(1, meta.list(fx.path(""), "/", null, 100).commonPrefixes().size());
  }

  @Test
  void invalidatePrefix_forgetsKeysAndListingsUnderIt() throws IOException {
    putElsewhere("p/q/1", "1");
    assertTrue(meta.object(fx.path("p/q/1")).isPresent());
    assertEquals(1, meta.list(fx.path("p/q/"), "", null, 10).objects().size());
    putElsewhere("p/q/2", "2");
    assertEquals(1, meta.list(fx.path("p/q/"), "", null, 10).objects().size(), "cached page");
    meta.invalidatePrefix(fx.path("p/"));
    assertEquals(2, meta.list(fx.path("p/q/"), "", null, 10).objects().size());
  }

  @Test
  void listing_seedsTheRecordsItShows_soTheStatsAfterAReaddirNeedNoQuery() throws IOException {
    putElsewhere("s/a", "1");
    assertEquals(1, meta.list(fx.path("s/"), "/", null, 100).objects().size());
    putElsewhere("s/a", "22"); // another client; the listing's record is trusted for the TTL
    assertEquals(1, meta.object(fx.path("s/a")).orElseThrow().size(), "served from the listing");
    advance(Duration.ofSeconds(2));
    assertEquals(2, meta.object(fx.path("s/a")).orElseThrow().size());
  }

  private MetadataCache.Presence presence(String key) {
    return meta.presence(fx.path(key));
  }

  @Test
  void presence_ofANameMissingFromItsFolder_isAbsent_andOfAFile_isUnknown() throws IOException {
    putElsewhere("dir/a", "1");
    assertEquals(MetadataCache.Presence.ABSENT, presence("dir/b"));
    assertEquals(MetadataCache.Presence.UNKNOWN, presence("dir/a"), "a file: ask for its record");
    assertEquals(MetadataCache.Presence.IMPLICIT_FOLDER, presence("dir"));
    assertEquals(MetadataCache.Presence.ABSENT, presence("elsewhere"));
  }

  @Test
  void presence_ofAFolderWithAMarker_isFolder_andTheMarkerRecordIsSeeded() throws IOException {
    putElsewhere("m/", "");
    putElsewhere("m/inner", "1");
    assertEquals(MetadataCache.Presence.FOLDER, presence("m"));
    putElsewhere("m/", "22"); // another client: the record from the listing is trusted for the TTL
    assertEquals(0, meta.object(fx.path("m/")).orElseThrow().size());
  }

  @Test
  void presence_afterAReloadOfAFolderWithSubfolders_showsWhatChangedMeanwhile() throws IOException {
    putElsewhere("p/sub/", "");
    putElsewhere("p/sub/a", "1");
    putElsewhere("p/f", "1");
    assertEquals(MetadataCache.Presence.FOLDER, presence("p/sub"));
    assertEquals(MetadataCache.Presence.ABSENT, presence("p/g"));
    putElsewhere("p/g", "1");
    putElsewhere("p/new/", "");
    putElsewhere("p/implicit/b", "1");
    advance(Duration.ofSeconds(2)); // the next lookup reloads: flat only, as the last load was
    assertEquals(MetadataCache.Presence.UNKNOWN, presence("p/g"), "a file in the new listing");
    assertEquals(MetadataCache.Presence.FOLDER, presence("p/new"));
    assertEquals(MetadataCache.Presence.IMPLICIT_FOLDER, presence("p/implicit"));
    assertEquals(MetadataCache.Presence.FOLDER, presence("p/sub"));
    assertEquals(MetadataCache.Presence.ABSENT, presence("p/h"));
  }

  @Test
  void presence_whenAnotherClientAddsTheName_showsItWithinTheTtl() throws IOException {
    assertEquals(MetadataCache.Presence.ABSENT, presence("n/x"));
    putElsewhere("n/x", "1");
    advance(Duration.ofMillis(999));
    assertEquals(MetadataCache.Presence.ABSENT, presence("n/x"), "the listing is trusted");
    advance(Duration.ofMillis(1001));
    assertEquals(MetadataCache.Presence.UNKNOWN, presence("n/x"));
  }

  @Test
  void presence_ofANameTheMountChanged_isUnknownUntilAListingStartedAfterTheChange()
      throws IOException {
    assertEquals(MetadataCache.Presence.ABSENT, presence("o/x"));
    assertEquals(MetadataCache.Presence.ABSENT, presence("o"));
    putElsewhere("o/x", "1"); // stands for the mount's own commit, which invalidates after it
    meta.invalidate(fx.path("o/x"));
    assertEquals(MetadataCache.Presence.UNKNOWN, presence("o/x"));
    assertEquals(MetadataCache.Presence.UNKNOWN, presence("o"), "every folder on the way");
    assertEquals(MetadataCache.Presence.ABSENT, presence("o/y"), "other names keep the listing");
    advance(Duration.ofSeconds(2));
    assertEquals(MetadataCache.Presence.UNKNOWN, presence("o/x"), "now a file in the listing");
    assertEquals(MetadataCache.Presence.IMPLICIT_FOLDER, presence("o"));
  }

  @Test
  void presence_afterInvalidatePrefix_comesFromANewListing() throws IOException {
    assertEquals(MetadataCache.Presence.ABSENT, presence("r/q/x"));
    putElsewhere("r/q/x", "1");
    meta.invalidatePrefix(fx.path("r/")); // a folder moved
    assertEquals(MetadataCache.Presence.UNKNOWN, presence("r/q/x"));
  }

  @Test
  void presence_ofAFolderMarkerKey_comesFromItsFolder() throws IOException {
    putElsewhere("k/implicit/file", "1");
    putElsewhere("k/marked/", "");
    assertEquals(MetadataCache.Presence.ABSENT, presence("k/none/"));
    assertEquals(MetadataCache.Presence.FOLDER, presence("k/implicit/"), "keys below, no marker");
    assertEquals(MetadataCache.Presence.UNKNOWN, presence("k/marked/"));
  }

  @Test
  void presence_withoutATtl_isAlwaysUnknown() throws IOException {
    MetadataCache none = fx.noMetadata();
    assertEquals(MetadataCache.Presence.UNKNOWN, none.presence(fx.path("z/missing")));
  }

  @Test
  void create_ofANameTheListingShowedAbsent_neverOverwritesWhatAnotherClientPutMeanwhile()
      throws IOException {
    assertEquals(MetadataCache.Presence.ABSENT, presence("race"));
    putElsewhere("race", "theirs");
    WriteBackCache own =
        WriteBackCache.open(
            StoreFixture.config(dir.resolve("own")),
            fx.store,
            fx.segmentCache(),
            meta,
            new FakeScheduler(),
            Runnable::run,
            fx.wallClock);
    FileHandle h =
        own.open(fx.path("race"), EnumSet.of(OpenFlag.CREATE), PosixAttributes.file(0100644, 1));
    h.write(0, ByteBuffer.wrap("mine".getBytes()));
    assertThrows(VersionConflictException.class, h::fsync);
    assertArrayEquals("theirs".getBytes(), fx.committed("race"));
  }

  @Test
  void rename_ontoANameTheListingShowedAbsent_neverOverwritesWhatAnotherClientPutMeanwhile()
      throws IOException {
    WriteBackCache own =
        WriteBackCache.open(
            StoreFixture.config(dir.resolve("own")),
            fx.store,
            fx.segmentCache(),
            meta,
            new FakeScheduler(),
            Runnable::run,
            fx.wallClock);
    try (FileHandle h =
        own.open(fx.path(".tmp"), EnumSet.of(OpenFlag.CREATE), PosixAttributes.file(0100644, 1))) {
      h.write(0, ByteBuffer.wrap("mine".getBytes()));
    }
    assertEquals(MetadataCache.Presence.ABSENT, presence("target"));
    putElsewhere("target", "theirs");
    assertTrue(own.rename(fx.path(".tmp"), fx.path("target")));
    assertThrows(VersionConflictException.class, () -> own.flush(fx.path("target")));
    assertArrayEquals("theirs".getBytes(), fx.committed("target"));
  }
}
