package org.deoss.core.port;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.AccountInfo;
import org.deoss.core.ledger.BlockHeader;
import org.deoss.core.ledger.BucketInfo;
import org.deoss.core.ledger.ChainHead;
import org.deoss.core.ledger.Challenge;
import org.deoss.core.ledger.LedgerState;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.MinerInfo;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.RepairOrder;
import org.deoss.core.manifest.ObjectId;

/**
 * A ledger whose state lives in this process: the queries of {@link LedgerClient} answered from a
 * {@link LedgerState} under the read lock. Subclasses apply blocks under the write lock ({@link
 * #write}), so a query never sees half a block.
 */
public abstract class StateBackedLedger implements LedgerClient {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final LedgerState state;

  protected StateBackedLedger(LedgerState state) {
    this.state = state;
  }

  /**
   * The write lock, for a subclass that holds it across several calls of its own thread (a block
   * applied transaction by transaction).
   */
  protected final ReentrantReadWriteLock.WriteLock writeLock() {
    return lock.writeLock();
  }

  /** The state; touch it only while holding {@link #writeLock()} (or the read lock to read). */
  protected final LedgerState state() {
    return state;
  }

  /** Runs {@code f} on the state under the read lock. */
  protected final <T> T read(Function<LedgerState, T> f) {
    lock.readLock().lock();
    try {
      return f.apply(state);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs {@code f} on the state under the write lock (block application). */
  protected final <T> T write(Function<LedgerState, T> f) {
    lock.writeLock().lock();
    try {
      return f.apply(state);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public String networkId() {
    return read(s -> s.genesisConfig().networkId());
  }

  @Override
  public long nextNonce(AccountId account) {
    return read(s -> s.nextNonce(account));
  }

  @Override
  public AccountInfo account(AccountId account) {
    return read(s -> s.account(account));
  }

  @Override
  public List<AccountId> authorizations(AccountId owner) {
    return read(s -> s.authorizations(owner));
  }

  @Override
  public Optional<byte[]> encryptionKey(AccountId account) {
    return read(s -> s.encryptionKey(account));
  }

  @Override
  public List<BucketInfo> buckets(AccountId owner) {
    return read(s -> s.buckets(owner));
  }

  @Override
  public Optional<BucketInfo> bucket(AccountId owner, String name) {
    return read(s -> s.bucketInfo(owner, name));
  }

  @Override
  public Optional<ObjectRecord> object(AccountId owner, String bucket, String key) {
    return read(s -> s.object(owner, bucket, key));
  }

  @Override
  public ListPage list(
      AccountId owner,
      String bucket,
      String prefix,
      String delimiter,
      String startAfter,
      int limit) {
    return read(s -> s.list(owner, bucket, prefix, delimiter, startAfter, limit));
  }

  @Override
  public Optional<ObjectRecord> objectById(ObjectId id) {
    return read(s -> s.objectById(id));
  }

  @Override
  public ListPage sharedWith(AccountId grantee, String startAfter, int limit) {
    return read(s -> s.sharedWith(grantee, startAfter, limit));
  }

  @Override
  public boolean isReferenced(Hash256 fragment) {
    return read(s -> s.isReferenced(fragment));
  }

  @Override
  public List<MinerInfo> miners() {
    return read(LedgerState::miners);
  }

  @Override
  public Optional<MinerInfo> miner(AccountId miner) {
    return read(s -> s.miner(miner));
  }

  @Override
  public List<Challenge> challenges() {
    return read(LedgerState::challenges);
  }

  @Override
  public List<RepairOrder> repairOrders(long afterId, int limit) {
    return read(s -> s.repairOrders(afterId, limit));
  }

  @Override
  public ChainHead head() {
    return read(LedgerState::head);
  }

  @Override
  public Optional<BlockHeader> block(long height) {
    return read(s -> s.blockHeader(height));
  }

  /** The canonical snapshot of the current state (taken under the read lock). */
  public byte[] snapshot() {
    return read(LedgerState::snapshot);
  }
}
