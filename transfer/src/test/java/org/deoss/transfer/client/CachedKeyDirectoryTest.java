package org.deoss.transfer.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.deoss.core.access.KeyDirectory;
import org.deoss.core.account.AccountId;
import org.deoss.core.account.AccountKeys;
import org.junit.jupiter.api.Test;

class CachedKeyDirectoryTest {
  private static final long TTL = 1_000;

  private static AccountId account(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    return AccountKeys.fromSeed(seed).id();
  }

  /** A directory whose answers change at each call, counting the calls. */
  private static final class Counting implements KeyDirectory {
    final AtomicInteger authorizationCalls = new AtomicInteger();
    final AtomicInteger keyCalls = new AtomicInteger();

    @Override
    public Optional<byte[]> encryptionKey(AccountId account) {
      return Optional.of(new byte[] {(byte) keyCalls.incrementAndGet()});
    }

    @Override
    public List<AccountId> authorizations(AccountId owner) {
      return List.of(account(authorizationCalls.incrementAndGet()));
    }
  }

  @Test
  void authorizations_withinTheTtl_areAnsweredFromTheCache_thenAskedAgain() {
    Counting source = new Counting();
    AtomicLong now = new AtomicLong();
    CachedKeyDirectory d = new CachedKeyDirectory(source, TTL, now::get);
    AccountId owner = account(100);
    assertEquals(List.of(account(1)), d.authorizations(owner));
    now.addAndGet(TTL - 1);
    assertEquals(List.of(account(1)), d.authorizations(owner));
    assertEquals(1, source.authorizationCalls.get());
    now.addAndGet(1);
    assertEquals(List.of(account(2)), d.authorizations(owner));
    assertEquals(2, source.authorizationCalls.get());
  }

  @Test
  void invalidate_makesTheNextCallAskTheSource() {
    Counting source = new Counting();
    CachedKeyDirectory d = new CachedKeyDirectory(source, TTL, () -> 0L);
    AccountId owner = account(100);
    d.authorizations(owner);
    d.encryptionKey(owner);
    d.invalidate();
    assertEquals(List.of(account(2)), d.authorizations(owner));
    assertArrayEquals(new byte[] {2}, d.encryptionKey(owner).orElseThrow());
  }

  @Test
  void encryptionKey_isCachedPerAccount_andCallersCannotChangeTheCachedBytes() {
    Counting source = new Counting();
    CachedKeyDirectory d = new CachedKeyDirectory(source, TTL, () -> 0L);
    d.encryptionKey(account(1)).orElseThrow()[0] = 99;
    assertArrayEquals(new byte[] {1}, d.encryptionKey(account(1)).orElseThrow());
    assertArrayEquals(new byte[] {2}, d.encryptionKey(account(2)).orElseThrow());
    assertEquals(2, source.keyCalls.get());
  }
}
