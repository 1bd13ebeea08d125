package org.deoss.transfer.node;

import java.util.Optional;
import org.deoss.core.hash.Hash256;
import org.deoss.core.ledger.Receipt;

/**
 * Implemented by a ledger that remembers receipts of transactions other processes took (a
 * replicated ledger knows every transaction the group applied). The node answers {@code GET
 * /v1/transactions/{hash}} from it when the hash is not one it took itself, so a client that
 * submitted through a node that died finds its receipt through another.
 */
public interface ReceiptLookup {
  /** The receipt of a recently applied transaction, if remembered. */
  Optional<Receipt> receipt(Hash256 txHash);
}
