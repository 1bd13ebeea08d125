package org.deoss.core.port;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.AccountInfo;
import org.deoss.core.ledger.BlockHeader;
import org.deoss.core.ledger.BucketInfo;
import org.deoss.core.ledger.ChainHead;
import org.deoss.core.ledger.Challenge;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.ListPage;
import org.deoss.core.ledger.MinerInfo;
import org.deoss.core.ledger.ObjectRecord;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.RepairOrder;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.manifest.ObjectId;

/**
 * The ledger as its users see it: submit signed transactions, query the state.
 *
 * <p><b>Submitting.</b> {@link #submit} never throws; it may block while the ledger has too many
 * transactions waiting (backpressure). Its future completes
 *
 * <ul>
 *   <li>with a {@link Receipt} once the transaction is in a block <em>and that block is
 *       durable</em> (for a ledger with a journal: fsynced). An acknowledged transaction survives a
 *       crash of the ledger process or the machine;
 *   <li>exceptionally with a {@link LedgerRejection} when the ledger refuses it (bad signature,
 *       wrong nonce, a rule broken; the reason says which). A rejected transaction changes nothing,
 *       not even the signer's nonce, so the signer's later transactions must be re-signed;
 *   <li>exceptionally with a {@link LedgerUnavailableException} when the ledger cannot take it
 *       (closed, a disk failure, a lost connection). Such a transaction may or may not be in the
 *       ledger: look at the signer's nonce or the object to find out.
 * </ul>
 *
 * The nonce of a transaction must be exactly the signer's next nonce when the transaction is
 * applied; transactions of one signer are applied in the order they were submitted from one thread.
 * {@link TxBuilder} signs with consecutive nonces.
 *
 * <p><b>Queries</b> see the state as of the last applied block (which may be a block whose fsync is
 * still running: a query may show a transaction a moment before its submitter is told). They never
 * block for long and never see half a block. Queries on a bucket that does not exist throw {@link
 * LedgerRejection} with {@link LedgerRejection.Reason#NO_SUCH_BUCKET}.
 *
 * <p><b>Threads.</b> Implementations are thread-safe. Futures may complete on the ledger's own
 * thread: callers must not block in dependent stages that run on it.
 */
public interface LedgerClient extends AutoCloseable {

  /** The network id transactions must be signed for. */
  String networkId();

  /** Submits a signed transaction; see the class comment for how the future completes. */
  CompletableFuture<Receipt> submit(SignedTransaction tx);

  /**
   * Submits several signed transactions in this order, each as {@link #submit} would (the same
   * outcomes, one future per transaction in the same order). A ledger may take them together, so
   * that those that arrive together share a block and its flush; the default submits them one by
   * one.
   */
  default List<CompletableFuture<Receipt>> submitAll(List<SignedTransaction> txs) {
    List<CompletableFuture<Receipt>> out = new java.util.ArrayList<>(txs.size());
    for (SignedTransaction tx : txs) {
      out.add(submit(tx));
    }
    return out;
  }

  /** The nonce the account's next transaction must carry (0 for an unknown account). */
  long nextNonce(AccountId account);

  /** Balance, nonce and space of an account (zeros for an unknown account). */
  AccountInfo account(AccountId account);

  /** The operators {@code owner} authorized, in account order. */
  List<AccountId> authorizations(AccountId owner);

  /**
   * The X25519 public key {@code account} announced last ({@code Call.AnnounceKey}), which data
   * keys are wrapped for when an object is shared with it; empty if it never announced one.
   */
  Optional<byte[]> encryptionKey(AccountId account);

  /** The buckets of {@code owner} by name. */
  List<BucketInfo> buckets(AccountId owner);

  Optional<BucketInfo> bucket(AccountId owner, String name);

  /** The current version of an object, if it exists. */
  Optional<ObjectRecord> object(AccountId owner, String bucket, String key);

  /**
   * One page of the keys of a bucket, in key order.
   *
   * @param prefix only keys starting with it ("" for all)
   * @param delimiter "" for a flat listing, else keys containing it after the prefix are rolled up
   *     into common prefixes (folders)
   * @param startAfter null for the first page, else the previous page's {@link ListPage#next()}
   * @param limit most objects plus common prefixes returned, at least 1
   */
  ListPage list(
      AccountId owner,
      String bucket,
      String prefix,
      String delimiter,
      String startAfter,
      int limit);

  /**
   * One page of the objects of other accounts shared with {@code grantee}: those whose current
   * version wraps the data key for it as a reader (not as an authorized operator), ordered by owner
   * address, bucket and key. Public objects are not listed unless they also name the grantee.
   *
   * @param startAfter null for the first page, else the previous page's {@link ListPage#next()}
   * @param limit most objects returned, at least 1
   */
  ListPage sharedWith(AccountId grantee, String startAfter, int limit);

  /** Whether any current object version uses this fragment (miners may delete only if not). */
  boolean isReferenced(Hash256 fragment);

  List<MinerInfo> miners();

  Optional<MinerInfo> miner(AccountId miner);

  /** Open audit challenges by id. */
  List<Challenge> challenges();

  /** Open repair orders with ids above {@code afterId}, by id, at most {@code limit}. */
  List<RepairOrder> repairOrders(long afterId, int limit);

  /** The last applied block. */
  ChainHead head();

  /** The header of a recent block; empty for a height not reached or no longer kept. */
  Optional<BlockHeader> block(long height);

  /**
   * The current version of the object with id {@code id} (its manifest's object id), wherever it
   * lives now; empty once it was deleted or replaced by a new version. Repairers use it to find the
   * object a repair order names.
   */
  Optional<ObjectRecord> objectById(ObjectId id);

  /**
   * Stops taking transactions: later submissions fail with {@link LedgerUnavailableException};
   * those already submitted are committed or fail the same way. Idempotent.
   */
  @Override
  void close();
}
