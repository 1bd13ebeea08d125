package org.deoss.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.deoss.core.access.AccessPolicy;
import org.deoss.core.access.KeyDirectory;
import org.deoss.core.account.AccountKeys;
import org.deoss.core.account.EncryptionKeys;
import org.deoss.core.crypto.DataKey;
import org.deoss.core.ledger.Access;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.PosixAttributes;
import org.deoss.core.ledger.PutCondition;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.pipeline.ProgressListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ru.serce.jnrfuse.ErrorCodes;

/** The read-only shared-with-me folder: what bob shares with alice, seen from alice's mount. */
class FsSharedWithMeTest {
  @TempDir Path dir;
  private FsFixture fx;
  private final AccountKeys bob = FsFixture.keys(2);
  private AccessPolicy bobs;
  private String shared;

  @BeforeEach
  void bobSharesAReportWithAlice() throws Exception {
    fx = new FsFixture(dir);
    fx.store.tx().announceKeyIfMissing();
    fx.submit(fx.alice, new Call.Transfer(bob.id(), 1000 * Genesis.TOKEN));
    fx.submit(bob, new Call.BuySpace(1, 30));
    fx.submit(bob, new Call.CreateBucket(bob.id(), "pub"));
    bobs =
        new AccessPolicy(
            bob.id(),
            EncryptionKeys.derive(bob).publicKey(),
            KeyDirectory.of(fx.ledger),
            fx.secure);
    putForBob("docs/report.txt", "quarterly numbers", true);
    putForBob("private.txt", "not for alice", false);
    shared = "/shared-with-me/" + bob.id().address();
  }

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  private void putForBob(String key, String text, boolean withAlice) throws Exception {
    ObjectId id = ObjectId.random(fx.secure);
    DataKey k = DataKey.generate(fx.secure);
    ObjectManifest m =
        fx.store
            .writer()
            .write(
                id,
                k,
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                ProgressListener.NONE)
            .manifest();
    Access a = bobs.newVersion(null, k, id);
    if (withAlice) {
      a = bobs.change(a, bobs.grantsOf(a).with(fx.alice.id()), k, id);
    }
    fx.submit(
        bob,
        new Call.PutObject(
            bob.id(), "pub", key, m, PosixAttributes.file(0100600, 1), a, PutCondition.none()));
  }

  @FunctionalInterface
  interface Op {
    void run() throws Exception;
  }

  private static void assertErrno(int errno, Op op) {
    assertEquals(errno, FsErrnoTest.errnoOf(op::run));
  }

  @Test
  void root_showsTheFolder_whichListsOwnerBucketAndKeyFolders() throws Exception {
    assertTrue(fx.list("/").contains("shared-with-me"));
    assertEquals(List.of(bob.id().address()), fx.list("/shared-with-me"));
    assertEquals(List.of("pub"), fx.list(shared));
    assertEquals(List.of("docs"), fx.list(shared + "/pub"), "private.txt is not shared");
    assertEquals(List.of("report.txt"), fx.list(shared + "/pub/docs"));
    Stat dirStat = fx.core.getattr(shared + "/pub");
    assertTrue(dirStat.isDir());
    assertEquals(0555, dirStat.mode() & 07777);
    Stat file = fx.core.getattr(shared + "/pub/docs/report.txt");
    assertFalse(file.isDir());
    assertEquals(0444, file.mode() & 07777);
    assertEquals("quarterly numbers".length(), file.size());
    assertEquals("quarterly numbers", fx.readFile(shared + "/pub/docs/report.txt"));
    assertErrno(ErrorCodes.ENOENT(), () -> fx.core.getattr(shared + "/pub/private.txt"));
  }

  @Test
  void everyWrite_belowTheFolder_answersEROFS() {
    String f = shared + "/pub/docs/report.txt";
    int erofs = ErrorCodes.EROFS();
    assertErrno(erofs, () -> fx.core.create(shared + "/pub/docs/new.txt", 0644, 0101, 1, 1));
    assertErrno(erofs, () -> fx.core.open(f, 01));
    assertErrno(erofs, () -> fx.core.mkdir(shared + "/pub/x", 0755, 1, 1));
    assertErrno(erofs, () -> fx.core.mkdir("/shared-with-me", 0755, 1, 1));
    assertErrno(erofs, () -> fx.core.unlink(f));
    assertErrno(erofs, () -> fx.core.rmdir(shared + "/pub/docs"));
    assertErrno(erofs, () -> fx.core.rename(f, "/files/stolen.txt"));
    assertErrno(erofs, () -> fx.core.rename("/files/x", shared + "/pub/x"));
    assertErrno(erofs, () -> fx.core.chmod(f, 0777));
    assertErrno(erofs, () -> fx.core.truncate(f, 0));
    assertErrno(erofs, () -> fx.core.symlink("/etc", shared + "/link", 1, 1));
    assertErrno(erofs, () -> fx.core.setxattr(f, "user.x", new byte[] {1}, 0));
  }

  @Test
  void aRevokedObject_leavesTheFolder() throws Exception {
    assertEquals(List.of("pub"), fx.list(shared));
    var rec = fx.ledger.object(bob.id(), "pub", "docs/report.txt").orElseThrow();
    DataKey k =
        org.deoss.core.access.ObjectKeys.open(
            rec.access(), rec.manifest().objectId(), bob.id(), EncryptionKeys.derive(bob));
    Access revoked =
        bobs.change(
            rec.access(),
            bobs.grantsOf(rec.access()).without(fx.alice.id()),
            k,
            rec.manifest().objectId());
    fx.submit(bob, new Call.SetAccess(bob.id(), "pub", "docs/report.txt", revoked));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!fx.list("/shared-with-me").isEmpty() && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
    }
    assertEquals(List.of(), fx.list("/shared-with-me"), "gone within the folder's refresh time");
    assertErrno(ErrorCodes.ENOENT(), () -> fx.core.getattr(shared + "/pub/docs/report.txt"));
  }

  @Test
  void aBucketNamedLikeTheFolder_isNotShownAtTheRoot() throws Exception {
    fx.submit(fx.alice, new Call.CreateBucket(fx.alice.id(), "shared-with-me"));
    List<String> root = fx.list("/");
    assertEquals(1, root.stream().filter("shared-with-me"::equals).count(), root.toString());
  }
}
