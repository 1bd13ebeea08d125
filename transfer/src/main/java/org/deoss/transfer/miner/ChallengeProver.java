package org.deoss.transfer.miner;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.deoss.core.account.AccountId;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.Call;
import org.deoss.core.ledger.Challenge;
import org.deoss.core.ledger.ChallengeProof;
import org.deoss.core.port.FragmentStoreException;
import org.deoss.core.port.LedgerClient;
import org.deoss.core.port.TxBuilder;
import org.deoss.transfer.miner.store.DiskFragmentStore;
import org.deoss.transfer.miner.store.FragmentReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the audit challenges addressed to this miner: reads each challenged fragment whole from
 * the store, builds the Merkle proofs of the challenged leaves ({@link ChallengeProof#answer}) and
 * submits a {@link Call.SubmitProof}. A fragment that is missing, or whose bytes no longer have
 * their id, gives no proof (the challenge then runs out and counts a fault: a miner cannot fake an
 * answer); a damaged fragment is also quarantined by the store so that reads stop serving it.
 *
 * <p>{@link #poll} runs on the daemon's timer thread, one at a time; the set of challenges in
 * flight is shared with the submission callbacks.
 */
final class ChallengeProver {
  private static final Logger LOG = LoggerFactory.getLogger(ChallengeProver.class);

  private final AccountId self;
  private final LedgerClient ledger;
  private final TxBuilder tx;
  private final DiskFragmentStore store;
  private final Set<Long> answered = ConcurrentHashMap.newKeySet();

  ChallengeProver(AccountId self, LedgerClient ledger, TxBuilder tx, DiskFragmentStore store) {
    this.self = self;
    this.ledger = ledger;
    this.tx = tx;
    this.store = store;
  }

  /** Answers every open challenge for this miner not answered yet; returns how many it sent. */
  int poll() {
    List<Challenge> open = ledger.challenges();
    Set<Long> still = new HashSet<>();
    int sent = 0;
    for (Challenge ch : open) {
      if (!ch.miner().equals(self)) {
        continue;
      }
      still.add(ch.id());
      if (answered.contains(ch.id())) {
        continue;
      }
      byte[] proof = answer(ch);
      answered.add(ch.id());
      if (proof == null) {
        continue;
      }
      sent++;
      tx.submit(new Call.SubmitProof(ch.id(), proof))
          .whenComplete(
              (r, e) -> {
                if (e != null) {
                  LOG.warn(
                      "proof for challenge {} of miner {} failed: {}", ch.id(), self, e.toString());
                  answered.remove(ch.id());
                } else {
                  LOG.debug("challenge {} answered in block {}", ch.id(), r.blockHeight());
                }
              });
    }
    answered.retainAll(still);
    return sent;
  }

  /** The encoded answer, or null if a fragment cannot be proven (logged). */
  private byte[] answer(Challenge ch) {
    List<byte[]> data = new ArrayList<>(ch.fragments().size());
    for (Hash256 id : ch.fragments()) {
      try (FragmentReader r = store.openReader(id)) {
        if (r.size() > Integer.MAX_VALUE - 8) {
          LOG.warn("challenge {}: fragment {} is too large to prove", ch.id(), id);
          return null;
        }
        ByteBuffer b = ByteBuffer.allocate((int) r.size());
        r.read(0, b);
        data.add(b.array());
      } catch (FragmentStoreException e) {
        LOG.warn(
            "challenge {}: cannot read fragment {} ({}); no proof sent",
            ch.id(),
            id,
            e.getMessage());
        return null;
      }
    }
    try {
      return ChallengeProof.answer(ch, data);
    } catch (IllegalArgumentException e) {
      LOG.warn("challenge {}: {}; no proof sent", ch.id(), e.getMessage());
      for (Hash256 id : ch.fragments()) {
        try {
          store.verifyFragment(id);
        } catch (FragmentStoreException ignored) {
          // already gone
        }
      }
      return null;
    }
  }
}
