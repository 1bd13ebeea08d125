package org.deoss.fs;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@link FsErrnoTest} again with a metadata cache that trusts the ledger for a minute, as a mount
 * does for its TTL: every lookup then goes through folder listings and cached records, and must
 * still see the mount's own changes at once.
 */
class FsErrnoCachedTest extends FsErrnoTest {
  @Override
  FsFixture fixture(Path dir) throws java.io.IOException {
    return new FsFixture(dir, null, 1, Duration.ofMinutes(1));
  }
}
