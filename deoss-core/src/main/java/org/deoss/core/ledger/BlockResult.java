package org.deoss.core.ledger;

import java.util.List;

/**
 * What producing a block gave: the block (accepted transactions only), its hash, and for every
 * submitted transaction in order either its {@link Receipt} or the {@link LedgerRejection} that
 * refused it.
 */
public record BlockResult(Block block, BlockHeader header, List<Object> outcomes) {
  public BlockResult {
    outcomes = List.copyOf(outcomes);
  }
}
