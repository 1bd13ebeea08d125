package org.deoss.core.ledger;

import static org.deoss.core.ledger.LedgerRejection.Reason.ALREADY_AUTHORIZED;
import static org.deoss.core.ledger.LedgerRejection.Reason.AMOUNT_OVERFLOW;
import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_ARGUMENT;
import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_BUCKET_NAME;
import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_KEY;
import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_MANIFEST;
import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_NONCE;
import static org.deoss.core.ledger.LedgerRejection.Reason.BAD_SIGNATURE;
import static org.deoss.core.ledger.LedgerRejection.Reason.BUCKET_EXISTS;
import static org.deoss.core.ledger.LedgerRejection.Reason.BUCKET_NOT_EMPTY;
import static org.deoss.core.ledger.LedgerRejection.Reason.FAUCET_LIMIT;
import static org.deoss.core.ledger.LedgerRejection.Reason.INSUFFICIENT_BALANCE;
import static org.deoss.core.ledger.LedgerRejection.Reason.MINER_NOT_ACTIVE;
import static org.deoss.core.ledger.LedgerRejection.Reason.NOT_AUTHORIZED;
import static org.deoss.core.ledger.LedgerRejection.Reason.NO_SPACE;
import static org.deoss.core.ledger.LedgerRejection.Reason.NO_SUCH_AUTHORIZATION;
import static org.deoss.core.ledger.LedgerRejection.Reason.NO_SUCH_BUCKET;
import static org.deoss.core.ledger.LedgerRejection.Reason.NO_SUCH_MINER;
import static org.deoss.core.ledger.LedgerRejection.Reason.NO_SUCH_OBJECT;
import static org.deoss.core.ledger.LedgerRejection.Reason.OBJECT_EXISTS;
import static org.deoss.core.ledger.LedgerRejection.Reason.OBJECT_ID_IN_USE;
import static org.deoss.core.ledger.LedgerRejection.Reason.SPACE_ALREADY_PURCHASED;
import static org.deoss.core.ledger.LedgerRejection.Reason.SPACE_EXPIRED;
import static org.deoss.core.ledger.LedgerRejection.Reason.TOO_MANY_AUTHORIZATIONS;
import static org.deoss.core.ledger.LedgerRejection.Reason.TOO_MANY_BUCKETS;
import static org.deoss.core.ledger.LedgerRejection.Reason.VERSION_CONFLICT;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.ObjectId;
import org.deoss.core.manifest.ObjectManifest;
import org.deoss.core.manifest.SegmentRef;

/**
 * The ledger's deterministic state machine.
 *
 * <p><b>Model.</b> The state is a function of the genesis and the sequence of blocks applied:
 * nothing here reads a clock, a random source or a hash-map iteration order. Time is the block
 * time; randomness (audit sampling) comes from block hashes. Every collection that is iterated is
 * sorted. Derived indexes (fragment reference counts, fragments per miner, object ids, the expiry
 * queue) are rebuilt from the primary state when a snapshot is restored.
 *
 * <p><b>Blocks.</b> {@link #executeBlock} opens block {@code head+1} at a block time, runs the
 * block-start hooks (challenge deadlines and faults, offline detection, miner exits, repair orders,
 * purge of expired space — each bounded per block), applies each transaction (a rejected one
 * changes nothing and is left out of the block), seals the block (its hash chains to the parent)
 * and derives the next audit challenges from the block hash. {@link #replayBlock} applies a block
 * that was produced before (from the journal): every transaction must apply again, and the hash
 * must match.
 *
 * <p><b>Rejections.</b> Each call handler checks every rule before it changes anything, so a
 * rejection ({@link LedgerRejection}) leaves the state exactly as it was, nonce included.
 *
 * <p><b>Signatures</b> are not checked by {@link #executeBlock}: the caller verifies them with
 * {@link #verifySignature} before (on its own threads, so the sequencer is not the bottleneck).
 * Replay does not re-verify: journal records are checksummed, and a block was only journalled after
 * its signatures were verified.
 *
 * <p><b>Parts.</b> This class holds the state and the balance, space, authorization, bucket and
 * object rules; {@link Miners} and {@link Audits} hold the miner and audit/repair rules, {@link
 * StateCodec} the snapshot encoding. All work on the same fields.
 *
 * <p><b>Threads.</b> Not thread-safe. The ledgers that wrap it serialize blocks and guard queries
 * with a read-write lock.
 */
public final class LedgerState {
  static final long TIB = 1L << 40;
  static final int MAX_ENDPOINT_BYTES = 255;
  static final int MAX_ZONE_BYTES = 64;

  final Genesis genesis;
  final Hash256 genesisHash;

  long height;
  Hash256 headHash;
  long headTime;
  long nextVersion = 1;
  long nextChallengeId = 1;
  long nextRepairId = 1;

  /**
   * Tokens that pay proof rewards: every space purchase (buy, expand, renew) and every slashed
   * stake goes here; rewards come out of it, never more than it holds.
   */
  long rewardPool;

  final ArrayDeque<BlockHeader> recent = new ArrayDeque<>();
  final TreeMap<AccountId, AccountState> accounts = new TreeMap<>();
  final TreeMap<AccountId, MinerState> miners = new TreeMap<>();
  final TreeMap<Long, Challenge> challenges = new TreeMap<>();
  final TreeMap<Long, RepairOrder> repairs = new TreeMap<>();

  // Derived indexes, rebuilt on restore.
  final HashMap<Hash256, Integer> fragmentRefs = new HashMap<>();
  final HashMap<ObjectId, Location> objectIndex = new HashMap<>();
  final HashMap<AccountId, TreeSet<Slot>> minerSlots = new HashMap<>();
  final HashMap<Slot, Long> repairBySlot = new HashMap<>();
  final TreeSet<Expiry> expiryQueue = new TreeSet<>();
  final SharedIndex shared = new SharedIndex();

  // The open block, between begin and seal.
  boolean inBlock;
  long now;
  long curHeight;
  List<SignedTransaction> openTxs;
  List<Long> openVersions;
  private final Audits audits = new Audits(this);
  private final Miners minerOps = new Miners(this);

  record Location(AccountId owner, String bucket, String key) {}

  record Expiry(long at, AccountId account) implements Comparable<Expiry> {
    @Override
    public int compareTo(Expiry o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : account.compareTo(o.account);
    }
  }

  LedgerState(Genesis genesis) {
    this.genesis = genesis;
    this.genesisHash = genesis.hash();
    this.headHash = genesisHash;
    this.headTime = genesis.genesisTimeMillis();
  }

  /** The state at genesis: endowed balances, nothing else. */
  public static LedgerState genesis(Genesis genesis) {
    LedgerState s = new LedgerState(genesis);
    genesis.endowments().forEach((a, v) -> s.accountFor(a).balance = v);
    return s;
  }

  public Genesis genesisConfig() {
    return genesis;
  }

  // ------------------------------------------------------------------ blocks

  /** Whether {@code tx} is signed by its signer for this network. */
  public boolean verifySignature(SignedTransaction tx) {
    return tx.verify(genesis.networkId());
  }

  /**
   * Checks the signature of {@code tx}.
   *
   * @throws LedgerRejection BAD_SIGNATURE
   */
  public void requireSignature(SignedTransaction tx) {
    if (!verifySignature(tx)) {
      throw LedgerRejection.of(
          BAD_SIGNATURE,
          "signature of transaction #"
              + tx.nonce()
              + " does not verify for account "
              + tx.signer()
              + " on network '"
              + genesis.networkId()
              + "'");
    }
  }

  /**
   * Produces the next block at {@code timeMillis} (raised to the parent's time if earlier) from
   * {@code txs}, whose signatures the caller has verified. The same as {@link #openBlock}, {@link
   * #applyInBlock} for each transaction (refused ones are left out), {@link #sealBlock}.
   */
  public BlockResult executeBlock(long timeMillis, List<SignedTransaction> txs) {
    openBlock(timeMillis);
    List<Object> outcomes = new ArrayList<>(txs.size());
    for (SignedTransaction tx : txs) {
      try {
        applyInBlock(tx);
        outcomes.add(null);
      } catch (LedgerRejection r) {
        outcomes.add(r);
      }
    }
    BlockResult sealed = sealBlock();
    int next = 0;
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) == null) {
        outcomes.set(i, sealed.outcomes().get(next++));
      }
    }
    return new BlockResult(sealed.block(), sealed.header(), outcomes);
  }

  /**
   * Opens block {@code head+1} at {@code timeMillis} (raised to the parent's time if earlier) and
   * runs the block-start hooks. Transactions follow with {@link #applyInBlock}; {@link #sealBlock}
   * closes it.
   */
  public void openBlock(long timeMillis) {
    long time = Math.max(timeMillis, headTime);
    beginBlock(height + 1, time);
    openTxs = new ArrayList<>();
    openVersions = new ArrayList<>();
  }

  /**
   * Applies one transaction (signature verified by the caller) in the open block.
   *
   * @return the new object version for a put, else 0
   * @throws LedgerRejection if refused; the state is unchanged and the transaction is not in the
   *     block
   */
  public long applyInBlock(SignedTransaction tx) {
    if (!inBlock || openTxs == null) {
      throw new IllegalStateException("no block is open");
    }
    long v = apply(tx);
    openTxs.add(tx);
    openVersions.add(v);
    return v;
  }

  /**
   * Seals the open block: hashes it onto the chain and derives the next audit challenges. The
   * result's outcomes are the receipts of the applied transactions, in order.
   */
  public BlockResult sealBlock() {
    if (!inBlock || openTxs == null) {
      throw new IllegalStateException("no block is open");
    }
    Block block = new Block(curHeight, headHash, now, openTxs);
    List<Hash256> txHashes = block.txHashes();
    BlockHeader header = block.header(txHashes);
    Hash256 hash = header.hash();
    List<Object> receipts = new ArrayList<>(openTxs.size());
    for (int i = 0; i < openTxs.size(); i++) {
      receipts.add(new Receipt(txHashes.get(i), curHeight, hash, i, openVersions.get(i)));
    }
    openTxs = null;
    openVersions = null;
    sealBlock(header, hash);
    return new BlockResult(block, header, receipts);
  }

  /**
   * Applies a block produced earlier (journal replay).
   *
   * @throws IllegalStateException if it does not follow the head or a transaction is refused: the
   *     journal does not belong to this state
   */
  public BlockHeader replayBlock(Block block) {
    if (block.height() != height + 1 || !block.parent().equals(headHash)) {
      throw new IllegalStateException(
          "block "
              + block.height()
              + " with parent "
              + block.parent()
              + " does not follow head "
              + height
              + " "
              + headHash);
    }
    if (block.timeMillis() < headTime) {
      throw new IllegalStateException("block " + block.height() + " goes back in time");
    }
    beginBlock(block.height(), block.timeMillis());
    for (int i = 0; i < block.txs().size(); i++) {
      try {
        apply(block.txs().get(i));
      } catch (LedgerRejection r) {
        throw new IllegalStateException(
            "replay of block " + block.height() + " tx " + i + " was refused: " + r.getMessage(),
            r);
      }
    }
    BlockHeader header = block.header();
    sealBlock(header, header.hash());
    return header;
  }

  private void beginBlock(long h, long time) {
    if (inBlock) {
      throw new IllegalStateException("block " + curHeight + " is still open");
    }
    inBlock = true;
    curHeight = h;
    now = time;
    audits.expireChallenges();
    minerOps.detectOffline();
    minerOps.finishExits();
    audits.issueRepairOrders();
    purgeExpired();
  }

  private void sealBlock(BlockHeader header, Hash256 hash) {
    height = header.height();
    headHash = hash;
    headTime = header.timeMillis();
    recent.addLast(header);
    while (recent.size() > genesis.recentBlocks()) {
      recent.removeFirst();
    }
    audits.issueChallenges(hash);
    inBlock = false;
  }

  /**
   * Applies one transaction inside the open block.
   *
   * @return the new object version for a put, else 0
   * @throws LedgerRejection if refused; the state is unchanged
   */
  private long apply(SignedTransaction tx) {
    AccountState signer = accounts.get(tx.signer());
    long expected = signer == null ? 0 : signer.nonce;
    if (tx.nonce() != expected) {
      throw LedgerRejection.of(
          BAD_NONCE,
          "account "
              + tx.signer()
              + " expects nonce "
              + expected
              + ", the transaction has "
              + tx.nonce()
              + (tx.nonce() < expected ? " (a replay)" : " (a gap)"));
    }
    long result = dispatch(tx.signer(), tx.call());
    accountFor(tx.signer()).nonce = expected + 1;
    return result;
  }

  private long dispatch(AccountId s, Call call) {
    if (call instanceof Call.Transfer c) {
      transfer(s, c);
    } else if (call instanceof Call.Faucet) {
      faucet(s);
    } else if (call instanceof Call.BuySpace c) {
      buySpace(s, c);
    } else if (call instanceof Call.ExpandSpace c) {
      expandSpace(s, c);
    } else if (call instanceof Call.RenewSpace c) {
      renewSpace(s, c);
    } else if (call instanceof Call.Authorize c) {
      authorize(s, c.operator());
    } else if (call instanceof Call.Deauthorize c) {
      deauthorize(s, c.operator());
    } else if (call instanceof Call.AnnounceKey c) {
      accountFor(s).encryptionKey = c.x25519Public();
    } else if (call instanceof Call.CreateBucket c) {
      createBucket(s, c);
    } else if (call instanceof Call.DeleteBucket c) {
      deleteBucket(s, c);
    } else if (call instanceof Call.PutObject c) {
      return put(s, c);
    } else if (call instanceof Call.RenameObject c) {
      move(s, c.owner(), c.bucket(), c.from(), c.bucket(), c.to(), c.overwrite());
    } else if (call instanceof Call.RenamePrefix c) {
      movePrefix(s, c.owner(), c.bucket(), c.fromPrefix(), c.bucket(), c.toPrefix());
    } else if (call instanceof Call.MoveObject c) {
      move(s, c.owner(), c.fromBucket(), c.from(), c.toBucket(), c.to(), c.overwrite());
    } else if (call instanceof Call.MovePrefix c) {
      movePrefix(s, c.owner(), c.fromBucket(), c.fromPrefix(), c.toBucket(), c.toPrefix());
    } else if (call instanceof Call.DeleteObject c) {
      delete(s, c);
    } else if (call instanceof Call.SetAttributes c) {
      ObjectRecord o = existing(s, c.owner(), c.bucket(), c.key());
      replaceRecord(o, o.withAttributes(c.attributes(), now));
    } else if (call instanceof Call.SetAccess c) {
      ObjectRecord o = existing(s, c.owner(), c.bucket(), c.key());
      ObjectRecord changed = o.withAccess(c.access(), now);
      replaceRecord(o, changed);
      shared.remove(o);
      shared.add(changed);
    } else if (call instanceof Call.RegisterMiner c) {
      minerOps.registerMiner(s, c);
    } else if (call instanceof Call.UpdateMiner c) {
      minerOps.updateMiner(s, c);
    } else if (call instanceof Call.Heartbeat c) {
      minerOps.heartbeat(s, c);
    } else if (call instanceof Call.ExitMiner) {
      minerOps.exitMiner(s);
    } else if (call instanceof Call.SubmitProof c) {
      audits.submitProof(s, c);
    } else if (call instanceof Call.CompleteRepair c) {
      audits.completeRepair(s, c);
    } else if (call instanceof Call.RepairSegment c) {
      audits.repairSegment(s, c);
    } else {
      throw new IllegalArgumentException("unknown call " + call);
    }
    return 0;
  }

  // ------------------------------------------------------------------ balances

  private void transfer(AccountId s, Call.Transfer c) {
    if (c.amount() <= 0) {
      throw LedgerRejection.of(BAD_ARGUMENT, "transfer amount must be positive, got " + c.amount());
    }
    requireBalance(s, c.amount(), "transfer to " + c.to());
    AccountState to = accounts.get(c.to());
    if (!s.equals(c.to()) && to != null && to.balance > Long.MAX_VALUE - c.amount()) {
      throw LedgerRejection.of(AMOUNT_OVERFLOW, "balance of " + c.to() + " would overflow");
    }
    accountFor(s).balance -= c.amount();
    accountFor(c.to()).balance += c.amount();
  }

  private void faucet(AccountId s) {
    if (genesis.faucetAmount() == 0) {
      throw LedgerRejection.of(FAUCET_LIMIT, "this network has no faucet");
    }
    AccountState a = accounts.get(s);
    boolean newWindow = a == null || now - a.faucetWindowStart >= genesis.faucetWindowMillis();
    int claims = newWindow ? 0 : a.faucetClaims;
    if (claims >= genesis.faucetClaimsPerWindow()) {
      throw LedgerRejection.of(
          FAUCET_LIMIT,
          "account "
              + s
              + " claimed the faucet "
              + claims
              + " time(s) since "
              + a.faucetWindowStart
              + "; next claim at block time "
              + (a.faucetWindowStart + genesis.faucetWindowMillis()));
    }
    if (a != null && a.balance > Long.MAX_VALUE - genesis.faucetAmount()) {
      throw LedgerRejection.of(AMOUNT_OVERFLOW, "balance of " + s + " would overflow");
    }
    AccountState acc = accountFor(s);
    if (newWindow) {
      acc.faucetWindowStart = now;
    }
    acc.faucetClaims = claims + 1;
    acc.balance += genesis.faucetAmount();
  }

  void requireBalance(AccountId s, long amount, String purpose) {
    AccountState a = accounts.get(s);
    long balance = a == null ? 0 : a.balance;
    if (balance < amount) {
      throw LedgerRejection.of(
          INSUFFICIENT_BALANCE,
          "account " + s + " has " + balance + ", " + purpose + " needs " + amount);
    }
  }

  static long times(long a, long b, long c, String what) {
    try {
      return Math.multiplyExact(Math.multiplyExact(a, b), c);
    } catch (ArithmeticException e) {
      throw LedgerRejection.of(AMOUNT_OVERFLOW, what + " overflows");
    }
  }

  // ------------------------------------------------------------------ space

  private SpaceState spaceState(AccountState a) {
    return a == null ? SpaceState.NONE : a.spaceState(now, genesis.graceMillis());
  }

  private void buySpace(AccountId s, Call.BuySpace c) {
    if (c.gib() < 1 || c.gib() > (1L << 30) || c.days() < 1 || c.days() > 36_500) {
      throw LedgerRejection.of(
          BAD_ARGUMENT,
          "buy space needs 1..2^30 GiB and 1..36500 days, got "
              + c.gib()
              + " GiB for "
              + c.days()
              + " days");
    }
    AccountState a = accounts.get(s);
    SpaceState st = spaceState(a);
    if (st == SpaceState.EXPIRED) {
      throw LedgerRejection.of(
          SPACE_EXPIRED, "account " + s + ": expired space is still being purged; buy again later");
    }
    if (st != SpaceState.NONE) {
      throw LedgerRejection.of(
          SPACE_ALREADY_PURCHASED,
          "account " + s + " already holds " + a.purchasedGib + " GiB; expand or renew it");
    }
    long price = times(c.gib(), c.days(), genesis.unitPricePerGibDay(), "price");
    long deadline = addTime(now, c.days());
    requireBalance(s, price, "buying " + c.gib() + " GiB for " + c.days() + " days");
    AccountState acc = accountFor(s);
    acc.balance -= price;
    rewardPool = saturatingAdd(rewardPool, price);
    acc.purchasedGib = c.gib();
    acc.spaceStart = now;
    setDeadline(s, acc, deadline);
  }

  private long addTime(long now, long days) {
    try {
      return Math.addExact(now, Math.multiplyExact(days, genesis.dayMillis()));
    } catch (ArithmeticException e) {
      throw LedgerRejection.of(BAD_ARGUMENT, days + " days overflow the block time");
    }
  }

  private void setDeadline(AccountId s, AccountState acc, long deadline) {
    if (acc.hasSpace() && acc.deadline != 0) {
      expiryQueue.remove(new Expiry(purgeAt(acc), s));
    }
    acc.deadline = deadline;
    expiryQueue.add(new Expiry(purgeAt(acc), s));
  }

  long purgeAt(AccountState acc) {
    long at = acc.deadline + genesis.graceMillis();
    return at < acc.deadline ? Long.MAX_VALUE : at;
  }

  private void expandSpace(AccountId s, Call.ExpandSpace c) {
    AccountState a = accounts.get(s);
    SpaceState st = spaceState(a);
    if (st == SpaceState.NONE) {
      throw LedgerRejection.of(NO_SPACE, "account " + s + " has no space to expand; buy first");
    }
    if (st != SpaceState.ACTIVE) {
      throw LedgerRejection.of(
          SPACE_EXPIRED, "account " + s + ": space is " + st + "; renew before expanding");
    }
    if (c.gib() < 1 || c.gib() > (1L << 30) - a.purchasedGib) {
      throw LedgerRejection.of(BAD_ARGUMENT, "expand by 1.. GiB up to 2^30 in all, got " + c.gib());
    }
    long day = genesis.dayMillis();
    long days = (a.deadline - now + day - 1) / day;
    long price = times(c.gib(), days, genesis.unitPricePerGibDay(), "price");
    requireBalance(s, price, "expanding by " + c.gib() + " GiB for " + days + " remaining days");
    a.balance -= price;
    rewardPool = saturatingAdd(rewardPool, price);
    a.purchasedGib += c.gib();
  }

  private void renewSpace(AccountId s, Call.RenewSpace c) {
    if (c.days() < 1 || c.days() > 36_500) {
      throw LedgerRejection.of(BAD_ARGUMENT, "renew by 1..36500 days, got " + c.days());
    }
    AccountState a = accounts.get(s);
    SpaceState st = spaceState(a);
    if (st == SpaceState.NONE) {
      throw LedgerRejection.of(NO_SPACE, "account " + s + " has no space to renew; buy first");
    }
    if (st == SpaceState.EXPIRED) {
      throw LedgerRejection.of(
          SPACE_EXPIRED, "account " + s + ": the grace period is over and the space is purged");
    }
    long price = times(a.purchasedGib, c.days(), genesis.unitPricePerGibDay(), "price");
    long deadline = addTime(a.deadline, c.days());
    requireBalance(s, price, "renewing " + a.purchasedGib + " GiB for " + c.days() + " days");
    a.balance -= price;
    rewardPool = saturatingAdd(rewardPool, price);
    setDeadline(s, a, deadline);
  }

  // ------------------------------------------------------------------ authorization

  private void authorize(AccountId s, AccountId operator) {
    if (operator.equals(s)) {
      throw LedgerRejection.of(BAD_ARGUMENT, "account " + s + " cannot authorize itself");
    }
    AccountState a = accounts.get(s);
    if (a != null && a.operators.contains(operator)) {
      throw LedgerRejection.of(ALREADY_AUTHORIZED, s + " already authorized " + operator);
    }
    if (a != null && a.operators.size() >= genesis.maxAuthorizations()) {
      throw LedgerRejection.of(
          TOO_MANY_AUTHORIZATIONS,
          "account "
              + s
              + " already authorized "
              + genesis.maxAuthorizations()
              + " operators, the limit; cannot add "
              + operator);
    }
    accountFor(s).operators.add(operator);
  }

  private void deauthorize(AccountId s, AccountId operator) {
    AccountState a = accounts.get(s);
    if (a == null || !a.operators.contains(operator)) {
      throw LedgerRejection.of(NO_SUCH_AUTHORIZATION, s + " has not authorized " + operator);
    }
    a.operators.remove(operator);
  }

  void requireMutator(AccountId signer, AccountId owner) {
    if (signer.equals(owner)) {
      return;
    }
    AccountState a = accounts.get(owner);
    if (a == null || !a.operators.contains(signer)) {
      throw LedgerRejection.of(
          NOT_AUTHORIZED, "account " + signer + " is not authorized to act for " + owner);
    }
  }

  // ------------------------------------------------------------------ buckets

  private void createBucket(AccountId s, Call.CreateBucket c) {
    requireMutator(s, c.owner());
    String problem = Names.bucketNameProblem(c.name());
    if (problem != null) {
      throw LedgerRejection.of(BAD_BUCKET_NAME, problem);
    }
    AccountState a = accounts.get(c.owner());
    if (a != null && a.buckets.containsKey(c.name())) {
      throw LedgerRejection.of(
          BUCKET_EXISTS, "account " + c.owner() + " already has bucket '" + c.name() + "'");
    }
    if (a != null && a.buckets.size() >= genesis.maxBuckets()) {
      throw LedgerRejection.of(
          TOO_MANY_BUCKETS,
          "account "
              + c.owner()
              + " has "
              + genesis.maxBuckets()
              + " buckets, the limit; cannot create '"
              + c.name()
              + "'");
    }
    accountFor(c.owner()).buckets.put(c.name(), new BucketState(now));
  }

  private void deleteBucket(AccountId s, Call.DeleteBucket c) {
    requireMutator(s, c.owner());
    BucketState b = bucket(c.owner(), c.name());
    if (!b.objects.isEmpty()) {
      throw LedgerRejection.of(
          BUCKET_NOT_EMPTY,
          "bucket '"
              + c.name()
              + "' of "
              + c.owner()
              + " still holds "
              + b.objects.size()
              + " objects");
    }
    accounts.get(c.owner()).buckets.remove(c.name());
  }

  private BucketState bucket(AccountId owner, String name) {
    AccountState a = accounts.get(owner);
    BucketState b = a == null ? null : a.buckets.get(name);
    if (b == null) {
      throw LedgerRejection.of(
          NO_SUCH_BUCKET, "account " + owner + " has no bucket '" + name + "'");
    }
    return b;
  }

  // ------------------------------------------------------------------ objects

  private static void requireKey(String key) {
    String problem = Names.keyProblem(key);
    if (problem != null) {
      throw LedgerRejection.of(BAD_KEY, problem);
    }
  }

  private static String where(AccountId owner, String bucket, String key) {
    return "'" + key + "' in bucket '" + bucket + "' of " + owner;
  }

  private ObjectRecord existing(AccountId s, AccountId owner, String bucket, String key) {
    requireMutator(s, owner);
    BucketState b = bucket(owner, bucket);
    ObjectRecord o = b.objects.get(key);
    if (o == null) {
      throw LedgerRejection.of(NO_SUCH_OBJECT, "no object " + where(owner, bucket, key));
    }
    return o;
  }

  private long put(AccountId s, Call.PutObject c) {
    requireMutator(s, c.owner());
    BucketState b = bucket(c.owner(), c.bucket());
    requireKey(c.key());
    AccountState a = accounts.get(c.owner());
    SpaceState st = spaceState(a);
    if (st == SpaceState.NONE) {
      throw LedgerRejection.of(
          NO_SPACE, "account " + c.owner() + " has no storage space; buy some");
    }
    if (st != SpaceState.ACTIVE) {
      throw LedgerRejection.of(
          SPACE_EXPIRED,
          "space of account "
              + c.owner()
              + " expired at block time "
              + a.deadline
              + " ("
              + st
              + "); renew it to write");
    }
    ObjectManifest m = c.manifest();
    if (m.chunkSize() <= 0) {
      throw LedgerRejection.of(BAD_MANIFEST, "chunk size must be positive, got " + m.chunkSize());
    }
    for (SegmentRef seg : m.segments()) {
      for (FragmentRef f : seg.fragments()) {
        MinerState ms = miners.get(f.miner());
        if (ms == null) {
          throw LedgerRejection.of(
              NO_SUCH_MINER,
              "fragment "
                  + f.index()
                  + " of segment "
                  + seg.index()
                  + ": "
                  + f.miner()
                  + " is not a registered miner");
        }
        if (ms.status != MinerStatus.ACTIVE) {
          throw LedgerRejection.of(
              MINER_NOT_ACTIVE,
              "fragment "
                  + f.index()
                  + " of segment "
                  + seg.index()
                  + ": miner "
                  + f.miner()
                  + " is "
                  + ms.status);
        }
      }
    }
    ObjectRecord old = b.objects.get(c.key());
    PutCondition cond = c.condition();
    if (cond.kind() == PutCondition.Kind.IF_ABSENT && old != null) {
      throw LedgerRejection.of(
          OBJECT_EXISTS, "object " + where(c.owner(), c.bucket(), c.key()) + " exists");
    }
    if (cond.kind() == PutCondition.Kind.IF_VERSION
        && (old == null || old.version() != cond.version())) {
      throw LedgerRejection.of(
          VERSION_CONFLICT,
          "object "
              + where(c.owner(), c.bucket(), c.key())
              + " is at version "
              + (old == null ? "none (absent)" : old.version())
              + ", the put expects "
              + cond.version());
    }
    Location loc = objectIndex.get(m.objectId());
    if (loc != null
        && !(loc.owner.equals(c.owner())
            && loc.bucket.equals(c.bucket())
            && loc.key.equals(c.key()))) {
      throw LedgerRejection.of(
          OBJECT_ID_IN_USE,
          "object id " + m.objectId() + " belongs to " + where(loc.owner, loc.bucket, loc.key));
    }
    long used = a.usedBytes - (old == null ? 0 : old.size()) + m.size();
    if (used > a.purchasedBytes()) {
      throw LedgerRejection.of(
          NO_SPACE,
          "putting "
              + m.size()
              + " bytes at "
              + where(c.owner(), c.bucket(), c.key())
              + " needs "
              + used
              + " bytes of space, the account has "
              + a.purchasedBytes());
    }
    long version = nextVersion++;
    ObjectRecord rec =
        new ObjectRecord(
            c.owner(),
            c.bucket(),
            c.key(),
            version,
            m,
            c.attributes(),
            c.access(),
            old == null ? now : old.createdMillis(),
            now);
    if (old != null) {
      unindex(old, rec);
    }
    b.objects.put(c.key(), rec);
    index(rec);
    a.usedBytes = used;
    return version;
  }

  private void delete(AccountId s, Call.DeleteObject c) {
    ObjectRecord o = existing(s, c.owner(), c.bucket(), c.key());
    removeObject(o);
  }

  private void removeObject(ObjectRecord o) {
    AccountState a = accounts.get(o.owner());
    a.buckets.get(o.bucket()).objects.remove(o.key());
    unindex(o, null);
    a.usedBytes -= o.size();
  }

  /** Renames a key, within its bucket or into another bucket of the same owner. */
  private void move(
      AccountId s,
      AccountId owner,
      String fromBucket,
      String fromKey,
      String toBucket,
      String toKey,
      boolean overwrite) {
    ObjectRecord from = existing(s, owner, fromBucket, fromKey);
    requireKey(toKey);
    BucketState target = bucket(owner, toBucket);
    if (fromBucket.equals(toBucket) && fromKey.equals(toKey)) {
      return;
    }
    ObjectRecord replaced = target.objects.get(toKey);
    if (replaced != null && !overwrite) {
      throw LedgerRejection.of(
          OBJECT_EXISTS, "cannot rename to " + where(owner, toBucket, toKey) + ": it exists");
    }
    if (replaced != null) {
      removeObject(replaced);
    }
    bucket(owner, fromBucket).objects.remove(fromKey);
    ObjectRecord moved = from.withLocation(toBucket, toKey, now);
    target.objects.put(toKey, moved);
    shared.remove(from);
    shared.add(moved);
    objectIndex.put(moved.manifest().objectId(), new Location(owner, toBucket, toKey));
  }

  /** Moves a folder, within its bucket or into another bucket of the same owner, atomically. */
  private void movePrefix(
      AccountId s, AccountId owner, String fromBucket, String from, String toBucket, String to) {
    requireMutator(s, owner);
    BucketState source = bucket(owner, fromBucket);
    BucketState target = bucket(owner, toBucket);
    requireKey(from);
    requireKey(to);
    if (!from.endsWith("/") || !to.endsWith("/")) {
      throw LedgerRejection.of(
          BAD_KEY, "folder prefixes end with '/': got '" + from + "' and '" + to + "'");
    }
    if (fromBucket.equals(toBucket) && (from.startsWith(to) || to.startsWith(from))) {
      throw LedgerRejection.of(
          BAD_KEY, "cannot move folder '" + from + "' to '" + to + "': one contains the other");
    }
    NavigableMap<String, ObjectRecord> sources = underPrefix(source.objects, from);
    if (sources.isEmpty()) {
      throw LedgerRejection.of(NO_SUCH_OBJECT, "no object under " + where(owner, fromBucket, from));
    }
    List<ObjectRecord> moving = new ArrayList<>(sources.values());
    List<String> targets = new ArrayList<>(moving.size());
    for (ObjectRecord o : moving) {
      String t = to + o.key().substring(from.length());
      requireKey(t);
      if (target.objects.containsKey(t)) {
        throw LedgerRejection.of(
            OBJECT_EXISTS,
            "cannot move folder '"
                + from
                + "' to '"
                + to
                + "': "
                + where(owner, toBucket, t)
                + " exists");
      }
      targets.add(t);
    }
    sources.clear();
    for (int i = 0; i < moving.size(); i++) {
      ObjectRecord moved = moving.get(i).withLocation(toBucket, targets.get(i), now);
      target.objects.put(moved.key(), moved);
      shared.remove(moving.get(i));
      shared.add(moved);
      objectIndex.put(moved.manifest().objectId(), new Location(owner, toBucket, moved.key()));
    }
  }

  private static NavigableMap<String, ObjectRecord> underPrefix(
      TreeMap<String, ObjectRecord> objects, String prefix) {
    String end = successor(prefix);
    return end == null ? objects.tailMap(prefix, true) : objects.subMap(prefix, true, end, false);
  }

  /** The smallest string greater than every string starting with {@code prefix}, or null. */
  private static String successor(String prefix) {
    StringBuilder sb = new StringBuilder(prefix);
    for (int i = sb.length() - 1; i >= 0; i--) {
      char ch = sb.charAt(i);
      if (ch != Character.MAX_VALUE) {
        sb.setCharAt(i, (char) (ch + 1));
        sb.setLength(i + 1);
        return sb.toString();
      }
    }
    return null;
  }

  void replaceRecord(ObjectRecord old, ObjectRecord rec) {
    accounts.get(old.owner()).buckets.get(old.bucket()).objects.put(old.key(), rec);
  }

  // ------------------------------------------------------------------ fragment indexes

  void index(ObjectRecord o) {
    shared.add(o);
    ObjectManifest m = o.manifest();
    objectIndex.put(m.objectId(), new Location(o.owner(), o.bucket(), o.key()));
    for (SegmentRef seg : m.segments()) {
      for (FragmentRef f : seg.fragments()) {
        fragmentRefs.merge(f.hash(), 1, Integer::sum);
        minerSlots
            .computeIfAbsent(f.miner(), k -> new TreeSet<>())
            .add(new Slot(m.objectId(), seg.index(), f.index()));
      }
    }
  }

  /**
   * Drops the indexes of {@code o}. Repair orders for slots that {@code replacement} keeps
   * unchanged (same fragment on the same miner) survive.
   */
  private void unindex(ObjectRecord o, ObjectRecord replacement) {
    shared.remove(o);
    ObjectManifest m = o.manifest();
    ObjectManifest r = replacement == null ? null : replacement.manifest();
    boolean sameId = r != null && r.objectId().equals(m.objectId());
    if (!sameId) {
      objectIndex.remove(m.objectId());
    }
    for (SegmentRef seg : m.segments()) {
      for (FragmentRef f : seg.fragments()) {
        fragmentRefs.compute(f.hash(), (k, v) -> v == null || v <= 1 ? null : v - 1);
        Slot slot = new Slot(m.objectId(), seg.index(), f.index());
        TreeSet<Slot> slots = minerSlots.get(f.miner());
        if (slots != null) {
          slots.remove(slot);
          if (slots.isEmpty()) {
            minerSlots.remove(f.miner());
          }
        }
        Long order = repairBySlot.get(slot);
        if (order != null && !(sameId && sameFragment(r, seg.index(), f))) {
          repairBySlot.remove(slot);
          repairs.remove(order);
        }
      }
    }
  }

  private static boolean sameFragment(ObjectManifest m, int segment, FragmentRef f) {
    if (segment >= m.segments().size()) {
      return false;
    }
    List<FragmentRef> frags = m.segments().get(segment).fragments();
    return f.index() < frags.size() && frags.get(f.index()).equals(f);
  }

  // ------------------------------------------------------------------ miners

  MinerState requireMiner(AccountId s) {
    MinerState m = miners.get(s);
    if (m == null) {
      throw LedgerRejection.of(NO_SUCH_MINER, "account " + s + " is not a registered miner");
    }
    return m;
  }

  // ------------------------------------------------------------------ expiry

  private void purgeExpired() {
    int budget = genesis.purgeObjectsPerBlock();
    while (budget > 0 && !expiryQueue.isEmpty() && expiryQueue.first().at <= now) {
      Expiry e = expiryQueue.first();
      AccountState a = accounts.get(e.account);
      Iterator<BucketState> buckets = a.buckets.values().iterator();
      while (budget > 0 && buckets.hasNext()) {
        BucketState b = buckets.next();
        while (budget > 0 && !b.objects.isEmpty()) {
          removeObject(b.objects.firstEntry().getValue());
          budget--;
        }
      }
      if (a.objectCount() == 0) {
        expiryQueue.remove(e);
        a.purchasedGib = 0;
        a.usedBytes = 0;
        a.spaceStart = 0;
        a.deadline = 0;
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  static long saturatingAdd(long a, long b) {
    long r = a + b;
    return r < a ? Long.MAX_VALUE : r;
  }

  AccountState accountFor(AccountId id) {
    return accounts.computeIfAbsent(id, k -> new AccountState());
  }

  // ------------------------------------------------------------------ queries

  private long queryNow() {
    return inBlock ? now : headTime;
  }

  public ChainHead head() {
    return new ChainHead(height, headHash, headTime);
  }

  /** The header of a recent block (the state keeps {@link Genesis#recentBlocks()} of them). */
  public Optional<BlockHeader> blockHeader(long h) {
    if (recent.isEmpty() || h < recent.peekFirst().height() || h > height) {
      return Optional.empty();
    }
    int i = 0;
    long first = recent.peekFirst().height();
    for (BlockHeader b : recent) {
      if (first + i == h) {
        return Optional.of(b);
      }
      i++;
    }
    return Optional.empty();
  }

  public long nextNonce(AccountId id) {
    AccountState a = accounts.get(id);
    return a == null ? 0 : a.nonce;
  }

  public AccountInfo account(AccountId id) {
    AccountState a = accounts.get(id);
    if (a == null) {
      return new AccountInfo(id, 0, 0, new SpaceInfo(0, 0, 0, 0, SpaceState.NONE));
    }
    SpaceState st = a.spaceState(queryNow(), genesis.graceMillis());
    return new AccountInfo(
        id,
        a.balance,
        a.nonce,
        new SpaceInfo(a.purchasedBytes(), a.usedBytes, a.spaceStart, a.deadline, st));
  }

  public List<AccountId> authorizations(AccountId owner) {
    AccountState a = accounts.get(owner);
    return a == null ? List.of() : List.copyOf(a.operators);
  }

  /** The X25519 public key {@code id} announced last, if any (a copy). */
  public Optional<byte[]> encryptionKey(AccountId id) {
    AccountState a = accounts.get(id);
    return a == null || a.encryptionKey == null
        ? Optional.empty()
        : Optional.of(a.encryptionKey.clone());
  }

  /** Whether {@code operator} may mutate {@code owner}'s buckets and objects. */
  public boolean mayActFor(AccountId operator, AccountId owner) {
    if (operator.equals(owner)) {
      return true;
    }
    AccountState a = accounts.get(owner);
    return a != null && a.operators.contains(operator);
  }

  public List<BucketInfo> buckets(AccountId owner) {
    AccountState a = accounts.get(owner);
    if (a == null) {
      return List.of();
    }
    List<BucketInfo> out = new ArrayList<>(a.buckets.size());
    a.buckets.forEach(
        (n, b) -> out.add(new BucketInfo(owner, n, b.createdMillis, b.objects.size())));
    return out;
  }

  public Optional<BucketInfo> bucketInfo(AccountId owner, String name) {
    AccountState a = accounts.get(owner);
    BucketState b = a == null ? null : a.buckets.get(name);
    return b == null
        ? Optional.empty()
        : Optional.of(new BucketInfo(owner, name, b.createdMillis, b.objects.size()));
  }

  public Optional<ObjectRecord> object(AccountId owner, String bucket, String key) {
    AccountState a = accounts.get(owner);
    BucketState b = a == null ? null : a.buckets.get(bucket);
    return b == null ? Optional.empty() : Optional.ofNullable(b.objects.get(key));
  }

  /**
   * Lists keys of a bucket in key order (Java {@link String} order, which is UTF-8 byte order for
   * keys without supplementary characters).
   *
   * @param prefix only keys starting with it ("" for all)
   * @param delimiter "" for a flat listing; else keys with the delimiter after the prefix are
   *     rolled up into one common prefix each (a folder)
   * @param startAfter null, or the {@link ListPage#next()} of the previous page: entries are
   *     strictly after it
   * @param limit most objects plus common prefixes in the page, at least 1
   * @throws LedgerRejection NO_SUCH_BUCKET
   */
  public ListPage list(
      AccountId owner,
      String bucket,
      String prefix,
      String delimiter,
      String startAfter,
      int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("list limit must be at least 1, got " + limit);
    }
    String pre = prefix == null ? "" : prefix;
    String delim = delimiter == null ? "" : delimiter;
    TreeMap<String, ObjectRecord> m = bucket(owner, bucket).objects;
    Map.Entry<String, ObjectRecord> e =
        startAfter != null && startAfter.compareTo(pre) >= 0
            ? m.higherEntry(startAfter)
            : m.ceilingEntry(pre);
    List<ObjectRecord> objects = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String last = null;
    String next = null;
    while (e != null && e.getKey().startsWith(pre)) {
      String k = e.getKey();
      String cp = null;
      if (!delim.isEmpty()) {
        int i = k.indexOf(delim, pre.length());
        if (i >= 0) {
          cp = k.substring(0, i + delim.length());
        }
      }
      if (cp != null && startAfter != null && cp.compareTo(startAfter) <= 0) {
        e = skipPast(m, cp);
        continue;
      }
      if (objects.size() + prefixes.size() == limit) {
        next = last;
        break;
      }
      if (cp != null) {
        prefixes.add(cp);
        last = cp;
        e = skipPast(m, cp);
      } else {
        objects.add(e.getValue());
        last = k;
        e = m.higherEntry(k);
      }
    }
    return new ListPage(objects, prefixes, next);
  }

  private static Map.Entry<String, ObjectRecord> skipPast(
      TreeMap<String, ObjectRecord> m, String prefix) {
    String succ = successor(prefix);
    if (succ != null) {
      return m.ceilingEntry(succ);
    }
    Map.Entry<String, ObjectRecord> e = m.higherEntry(prefix);
    while (e != null && e.getKey().startsWith(prefix)) {
      e = m.higherEntry(e.getKey());
    }
    return e;
  }

  /** The current version of the object with this id, wherever it lives now. */
  public Optional<ObjectRecord> objectById(ObjectId id) {
    Location loc = objectIndex.get(id);
    return loc == null ? Optional.empty() : object(loc.owner(), loc.bucket(), loc.key());
  }

  /**
   * One page of the objects of other owners shared with {@code grantee} (their current version
   * wraps the data key for it as a reader), ordered by owner address, bucket and key. The page has
   * no common prefixes; its {@link ListPage#next()} is the token {@code OWNER/BUCKET/KEY} of its
   * last object when more follow.
   *
   * @param startAfter null, or the previous page's {@code next}
   * @param limit most objects in the page, at least 1
   * @throws IllegalArgumentException for a limit below 1 or a malformed token
   */
  public ListPage sharedWith(AccountId grantee, String startAfter, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("shared limit must be at least 1, got " + limit);
    }
    List<SharedIndex.Entry> entries = shared.page(grantee, startAfter, limit);
    boolean more = entries.size() > limit;
    List<ObjectRecord> objects = new ArrayList<>(Math.min(entries.size(), limit));
    for (int i = 0; i < entries.size() && i < limit; i++) {
      SharedIndex.Entry e = entries.get(i);
      objects.add(object(e.owner(), e.bucket(), e.key()).orElseThrow());
    }
    return new ListPage(objects, List.of(), more ? entries.get(limit - 1).token() : null);
  }

  /** Whether any current object version uses a fragment with this hash. */
  public boolean isReferenced(Hash256 fragment) {
    return fragmentRefs.containsKey(fragment);
  }

  public List<MinerInfo> miners() {
    List<MinerInfo> out = new ArrayList<>(miners.size());
    for (MinerState m : miners.values()) {
      out.add(info(m));
    }
    return out;
  }

  public Optional<MinerInfo> miner(AccountId id) {
    MinerState m = miners.get(id);
    return m == null ? Optional.empty() : Optional.of(info(m));
  }

  private MinerInfo info(MinerState m) {
    TreeSet<Slot> slots = minerSlots.get(m.id);
    return m.info(slots == null ? 0 : slots.size());
  }

  /**
   * The reward pool: what space purchases and slashed stakes paid in and proof rewards did not yet
   * pay out.
   */
  public long rewardPool() {
    return rewardPool;
  }

  public List<Challenge> challenges() {
    return List.copyOf(challenges.values());
  }

  /** Open repair orders with ids above {@code afterId}, at most {@code limit}, by id. */
  public List<RepairOrder> repairOrders(long afterId, int limit) {
    List<RepairOrder> out = new ArrayList<>();
    for (RepairOrder r : repairs.tailMap(afterId, false).values()) {
      if (out.size() == limit) {
        break;
      }
      out.add(r);
    }
    return out;
  }

  // ------------------------------------------------------------------ snapshot

  /**
   * The whole state, canonically encoded:
   *
   * <pre>
   * "deoss state v4":str genesisHash[32] height:v head[32] headTime:f64
   *   nextVersion:v nextChallenge:v nextRepair:v rewardPool:v
   * nRecent:v header*
   * nAccounts:v (id[32] balance:v nonce:v faucetStart:f64 faucetClaims:v gib:v start:f64
   *   deadline:f64 nOps:v op[32]* hasKey:bool [x25519[32]]
   *   nBuckets:v (name:str created:f64 nObj:v (key:str object)*)*)*
   * nMiners:v (id[32] endpoint:str capacity:v stake:v zone:str status:u8 registered:f64
   *   heartbeat:f64 reported:v faults:v proofs:v rewards:v penalties:v auditDue:bool
   *   hasCursor:bool [objectId[16] seg:v frag:v])*
   * nChallenges:v (id:v miner[32] n:v (hash[32] leaf:v leafCount:v)* issued:v deadline:v)*
   * nRepairs:v (id:v objectId[16] seg:v frag:v hash[32] from[32] created:v)*
   * </pre>
   *
   * Used bytes, reference counts and the other indexes are derived on restore.
   */
  public byte[] snapshot() {
    if (inBlock) {
      throw new IllegalStateException("cannot snapshot inside block " + curHeight);
    }
    return StateCodec.encode(this);
  }

  /**
   * Rebuilds a state from {@link #snapshot()} bytes.
   *
   * @throws org.deoss.core.ledger.codec.CodecException if the bytes are malformed or belong to
   *     another genesis
   */
  public static LedgerState restore(Genesis genesis, byte[] snapshot) {
    return StateCodec.decode(genesis, snapshot);
  }
}
