package org.deoss.core.ledger.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;
import org.deoss.core.ledger.BlockResult;
import org.deoss.core.ledger.LedgerRejection;
import org.deoss.core.ledger.LedgerState;
import org.deoss.core.ledger.SignedTransaction;
import org.deoss.core.ledger.journal.BatchHandler;

/**
 * Turns one group-commit batch into one block and one journal record. The first item of a batch
 * takes the state's write lock and opens a block (its start hooks run); each item is applied in it;
 * {@link #seal} closes the block, encodes it as the batch's only record and lets the lock go, so
 * queries never see half a block.
 *
 * <p>Every item is "accepted" from the committer's point of view, even a refused transaction: its
 * refusal is its result. So every batch is sealed and journalled, including one whose transactions
 * were all refused — its block-start hooks (expiry, offline miners, audit deadlines) changed the
 * state, and replay must see the same block. Refused transactions are not in the block.
 *
 * <p>Runs on the committer thread only.
 */
final class BlockBatchHandler
    implements BatchHandler<BlockBatchHandler.Item, BlockBatchHandler.Slot> {

  /** A transaction to apply, or (tx null) a request for a block even without transactions. */
  record Item(SignedTransaction tx) {}

  /** What became of an item: a receipt, a rejection, or (for a tick) the block header. */
  static final class Slot {
    final SignedTransaction tx;
    boolean applied;
    volatile Object value;

    Slot(SignedTransaction tx) {
      this.tx = tx;
    }
  }

  interface Listener {
    void committed(long lastSequence);

    void failed(Throwable cause);
  }

  private final LedgerState state;
  private final Lock writeLock;
  private final LongSupplier clockMillis;
  private final Listener listener;
  private final List<Slot> slots = new ArrayList<>();
  private boolean open;
  private RuntimeException broken;

  BlockBatchHandler(
      LedgerState state, Lock writeLock, LongSupplier clockMillis, Listener listener) {
    this.state = state;
    this.writeLock = writeLock;
    this.clockMillis = clockMillis;
    this.listener = listener;
  }

  @Override
  public Outcome<Slot> handle(Item item) {
    if (!open) {
      writeLock.lock();
      open = true;
      try {
        state.openBlock(clockMillis.getAsLong());
      } catch (RuntimeException e) {
        broken = e;
      }
    }
    Slot slot = new Slot(item.tx());
    if (broken == null && item.tx() != null) {
      try {
        state.applyInBlock(item.tx());
        slot.applied = true;
      } catch (LedgerRejection r) {
        slot.value = r;
      } catch (RuntimeException e) {
        broken = e;
      }
    }
    slots.add(slot);
    return new Outcome<>(slot, List.of());
  }

  @Override
  public List<byte[]> seal(int acceptedItems) {
    try {
      if (broken != null) {
        throw new IllegalStateException("the ledger state machine failed: " + broken, broken);
      }
      BlockResult r = state.sealBlock();
      int i = 0;
      for (Slot s : slots) {
        if (s.tx == null) {
          s.value = r.header();
        } else if (s.applied) {
          s.value = r.outcomes().get(i++);
        }
      }
      return List.of(r.block().encode());
    } finally {
      release();
    }
  }

  private void release() {
    slots.clear();
    if (open) {
      open = false;
      writeLock.unlock();
    }
  }

  @Override
  public void committed(long lastSequence) {
    listener.committed(lastSequence);
  }

  @Override
  public void failed(Throwable cause) {
    release();
    listener.failed(cause);
  }
}
