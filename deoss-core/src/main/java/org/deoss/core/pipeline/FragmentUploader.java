package org.deoss.core.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.deoss.core.account.AccountId;
import org.deoss.core.manifest.FragmentRef;
import org.deoss.core.manifest.SegmentRef;
import org.deoss.core.placement.Candidate;
import org.deoss.core.placement.NoCapacityException;
import org.deoss.core.placement.Placement;
import org.deoss.core.placement.PlacementPlan;
import org.deoss.core.port.MinerDirectory;

/**
 * Stores the n fragments of an encoded segment on miners in parallel. A fragment whose miner fails
 * is retried on another miner (one not holding this segment if possible) up to {@code putAttempts}
 * miners in all. The segment succeeds when at least the success threshold of fragments is stored;
 * fragments no miner took are reported as missing (repair work). Fragments stored for a segment
 * that fails are left to the miners' collection of unreferenced fragments.
 */
final class FragmentUploader {
  private final PipelineConfig config;
  private final MinerDirectory miners;
  private final Placement placement;

  FragmentUploader(PipelineConfig config, MinerDirectory miners, Placement placement) {
    this.config = config;
    this.miners = miners;
    this.placement = placement;
  }

  /** Completes when every fragment is stored or given up; fails below the threshold. */
  CompletableFuture<UploadedSegment> upload(EncodedSegment segment) {
    List<Candidate> candidates = miners.candidates();
    PlacementPlan plan;
    try {
      plan = placement.place(candidates, segment.fragmentLength(), Set.of());
    } catch (NoCapacityException e) {
      return CompletableFuture.failedFuture(
          new ObjectWriteException("segment " + segment.index() + ": " + e.getMessage(), e));
    }
    Set<AccountId> holders = Collections.synchronizedSet(new HashSet<>(plan.miners()));
    List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < segment.fragmentCount(); i++) {
      outcomes.add(put(segment, i, plan.miners().get(i), 1, new HashSet<>(), candidates, holders));
    }
    return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
        .thenApply(v -> assemble(segment, plan, outcomes));
  }

  private CompletableFuture<Outcome> put(
      EncodedSegment segment,
      int fragment,
      AccountId miner,
      int attempt,
      Set<AccountId> failed,
      List<Candidate> candidates,
      Set<AccountId> holders) {
    CompletableFuture<Void> stored;
    try {
      stored = miners.store(miner).put(segment.fragmentId(fragment), segment.fragment(fragment));
    } catch (RuntimeException e) {
      stored = CompletableFuture.failedFuture(e);
    }
    return stored
        .handle((v, error) -> error)
        .thenCompose(
            error -> {
              if (error == null) {
                return CompletableFuture.completedFuture(new Outcome(miner, null));
              }
              Throwable cause = unwrap(error);
              failed.add(miner);
              if (attempt >= config.putAttempts()) {
                return CompletableFuture.completedFuture(new Outcome(miner, cause));
              }
              AccountId next;
              try {
                next =
                    placement.replacement(
                        candidates, segment.fragmentLength(), failed, Set.copyOf(holders));
              } catch (NoCapacityException e) {
                return CompletableFuture.completedFuture(new Outcome(miner, cause));
              }
              holders.add(next);
              return put(segment, fragment, next, attempt + 1, failed, candidates, holders);
            });
  }

  private UploadedSegment assemble(
      EncodedSegment segment, PlacementPlan plan, List<CompletableFuture<Outcome>> outcomes) {
    List<FragmentRef> refs = new ArrayList<>();
    List<Integer> missing = new ArrayList<>();
    StringBuilder errors = new StringBuilder();
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome o = outcomes.get(i).join();
      if (o.error != null) {
        missing.add(i);
        errors
            .append("; fragment ")
            .append(i)
            .append(" (last tried ")
            .append(o.miner)
            .append("): ")
            .append(o.error.getMessage());
      }
      AccountId holder = o.error == null ? o.miner : plan.miners().get(i);
      refs.add(new FragmentRef(i, segment.fragmentId(i), segment.fragmentLength(), holder));
    }
    int stored = refs.size() - missing.size();
    if (stored < config.successThreshold()) {
      throw new CompletionException(
          new ObjectWriteException(
              "segment "
                  + segment.index()
                  + ": stored "
                  + stored
                  + " of "
                  + refs.size()
                  + " fragments, need "
                  + config.successThreshold()
                  + errors));
    }
    SegmentRef ref =
        new SegmentRef(
            segment.index(),
            segment.plainLength(),
            segment.encryptedLength(),
            segment.segmentHash(),
            refs);
    return new UploadedSegment(ref, missing);
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private record Outcome(AccountId miner, Throwable error) {}
}
