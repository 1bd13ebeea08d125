package org.deoss.core.ledger;

import org.deoss.core.hash.Hash256;

/** The last applied block: height (0 before any block), hash (the genesis hash at 0) and time. */
public record ChainHead(long height, Hash256 hash, long timeMillis) {}
