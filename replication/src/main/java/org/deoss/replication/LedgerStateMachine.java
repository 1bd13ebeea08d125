package org.deoss.replication;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.MD5FileUtil;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.BlockResult;
import org.deoss.core.ledger.Genesis;
import org.deoss.core.ledger.LedgerState;
import org.deoss.core.ledger.Receipt;
import org.deoss.core.ledger.SignedTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core ledger as a Ratis state machine. Each committed log entry is one block: the leader
 * stamps its clock on a request ({@link #startTransaction}), and every replica applies the entry's
 * transactions at that time with {@link LedgerState#executeBlock}, so all replicas compute the same
 * chain. The reply carries one outcome per transaction (receipt or rejection).
 *
 * <p><b>Snapshots</b> are {@link LedgerState#snapshot()} bytes, the same encoding as the embedded
 * ledger's snapshots, in Ratis's single-file layout ({@code snapshot.TERM_INDEX} plus its MD5), so
 * a lagging follower can be sent one by the leader; {@link #reinitialize} then loads it.
 *
 * <p><b>Duplicates.</b> The receipts of the last {@code rememberedReceipts} applied transactions
 * are kept by hash; the same transaction ordered again (a client retried through another node)
 * answers its first receipt instead of a {@code BAD_NONCE}. The state is the same either way: a
 * replay is always refused by its nonce. The memory is not part of snapshots, so a replica that
 * loaded one may answer {@code BAD_NONCE} for a replay; only the reply differs.
 *
 * <p>Signatures are verified by the node that takes a transaction from a client, before it is
 * proposed; replicas trust the log (they are one operator's machines).
 */
final class LedgerStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerStateMachine.class);

  private final Genesis genesis;
  private final LongSupplier clockMillis;
  private final int rememberedReceipts;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final LinkedHashMap<Hash256, Receipt> receipts = new LinkedHashMap<>();
  private final TreeMap<Long, List<CompletableFuture<Void>>> heightWaiters = new TreeMap<>();
  private volatile LedgerView view;

  LedgerStateMachine(Genesis genesis, LongSupplier clockMillis, int rememberedReceipts) {
    this.genesis = genesis;
    this.clockMillis = clockMillis;
    this.rememberedReceipts = rememberedReceipts;
    this.view = new LedgerView(LedgerState.genesis(genesis));
  }

  /** The current state; replaced when a snapshot is installed. */
  LedgerView view() {
    return view;
  }

  /** The receipt of a recently applied transaction. */
  Optional<Receipt> receipt(Hash256 txHash) {
    synchronized (receipts) {
      return Optional.ofNullable(receipts.get(txHash));
    }
  }

  /** Completes once this replica has applied the block at {@code height} (or a later one). */
  CompletableFuture<Void> awaitHeight(long height) {
    synchronized (heightWaiters) {
      if (view.head().height() >= height) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> f = new CompletableFuture<>();
      heightWaiters.computeIfAbsent(height, h -> new ArrayList<>()).add(f);
      return f;
    }
  }

  private void releaseWaiters() {
    long height = view.head().height();
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    synchronized (heightWaiters) {
      Map<Long, List<CompletableFuture<Void>>> head = heightWaiters.headMap(height, true);
      head.values().forEach(ready::addAll);
      head.clear();
    }
    ready.forEach(f -> f.complete(null));
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    load();
  }

  @Override
  public void reinitialize() throws IOException {
    load();
  }

  private void load() throws IOException {
    SingleFileSnapshotInfo snap = storage.loadLatestSnapshot();
    if (snap == null) {
      return;
    }
    File file = snap.getFile().getPath().toFile();
    MD5Hash md5 = snap.getFile().getFileDigest();
    if (md5 != null) {
      MD5FileUtil.verifySavedMD5(file, md5);
    }
    LedgerState state;
    try {
      state = LedgerState.restore(genesis, Files.readAllBytes(file.toPath()));
    } catch (IllegalArgumentException e) {
      throw new IOException("snapshot " + file + " is not a state of this ledger: " + e, e);
    }
    LedgerView fresh = new LedgerView(state);
    fresh.update(
        s -> {
          view = fresh;
          setLastAppliedTermIndex(snap.getTermIndex());
          return null;
        });
    LOG.info("ledger state loaded from snapshot {} at height {}", file, fresh.head().height());
    releaseWaiters();
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  /** On the leader: the request's transactions become a log entry at the leader's time. */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    TransactionContext.Builder b =
        TransactionContext.newBuilder().setStateMachine(this).setClientRequest(request);
    try {
      List<SignedTransaction> txs =
          LogCodec.decodeRequest(request.getMessage().getContent().toByteArray());
      byte[] entry = LogCodec.encodeEntry(new LogCodec.Entry(clockMillis.getAsLong(), txs));
      return b.setLogData(ByteString.copyFrom(entry)).build();
    } catch (RuntimeException e) {
      TransactionContext t = b.build();
      t.setException(new IOException("malformed ledger request: " + e.getMessage(), e));
      return t;
    }
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    try {
      LogCodec.Entry block =
          LogCodec.decodeEntry(entry.getStateMachineLogEntry().getLogData().toByteArray());
      LogCodec.Reply reply = apply(block, TermIndex.valueOf(entry));
      return CompletableFuture.completedFuture(
          Message.valueOf(ByteString.copyFrom(LogCodec.encodeReply(reply))));
    } catch (RuntimeException e) {
      // A committed entry that cannot be applied means the replicas would diverge: stop here.
      LOG.error("log entry {} cannot be applied; this replica stops applying", entry, e);
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Applies one ordered block; records {@code at} as applied in the same critical section. */
  LogCodec.Reply apply(LogCodec.Entry block, TermIndex at) {
    LogCodec.Reply reply = applyLocked(block, at);
    releaseWaiters();
    return reply;
  }

  private LogCodec.Reply applyLocked(LogCodec.Entry block, TermIndex at) {
    return view.update(
        state -> {
          List<SignedTransaction> fresh = new ArrayList<>(block.txs().size());
          Object[] outcomes = new Object[block.txs().size()];
          for (int i = 0; i < outcomes.length; i++) {
            Optional<Receipt> known = receipt(block.txs().get(i).hash());
            if (known.isPresent()) {
              outcomes[i] = known.get();
            } else {
              fresh.add(block.txs().get(i));
            }
          }
          BlockResult r = state.executeBlock(block.timeMillis(), fresh);
          int next = 0;
          for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
              Object o = r.outcomes().get(next++);
              outcomes[i] = o;
              if (o instanceof Receipt receipt) {
                remember(receipt);
              }
            }
          }
          if (at != null) {
            updateLastAppliedTermIndex(at);
          }
          return new LogCodec.Reply(r.header().height(), List.of(outcomes));
        });
  }

  private void remember(Receipt r) {
    synchronized (receipts) {
      receipts.put(r.txHash(), r);
      Iterator<Hash256> it = receipts.keySet().iterator();
      while (receipts.size() > rememberedReceipts && it.hasNext()) {
        it.next();
        it.remove();
      }
    }
  }

  /**
   * Writes the state as of the last applied entry to {@code snapshot.TERM_INDEX} (through a
   * temporary file and a rename) with its MD5 beside it. One at a time (Ratis's automatic trigger
   * and an operator's request may meet); nothing is written when the latest snapshot is as recent.
   */
  @Override
  public synchronized long takeSnapshot() throws IOException {
    LedgerView v = view;
    Object[] taken = v.inspect(s -> new Object[] {getLastAppliedTermIndex(), s.snapshot()});
    TermIndex at = (TermIndex) taken[0];
    if (at == null || at.getIndex() < 0) {
      return -1;
    }
    SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
    if (latest != null && latest.getIndex() >= at.getIndex()) {
      return latest.getIndex();
    }
    File file = storage.getSnapshotFile(at.getTerm(), at.getIndex());
    Path tmp = file.toPath().resolveSibling(file.getName() + ".tmp");
    Files.write(
        tmp,
        (byte[]) taken[1],
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE,
        StandardOpenOption.SYNC);
    Files.move(tmp, file.toPath(), StandardCopyOption.ATOMIC_MOVE);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), at));
    LOG.info("snapshot {} written at height {}", file, v.head().height());
    return at.getIndex();
  }

  @Override
  public void close() throws IOException {
    super.close();
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    synchronized (heightWaiters) {
      heightWaiters.values().forEach(waiting::addAll);
      heightWaiters.clear();
    }
    IOException closed = new IOException("the ledger replica closed");
    waiting.forEach(f -> f.completeExceptionally(closed));
  }
}
