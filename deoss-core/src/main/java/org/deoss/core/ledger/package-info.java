/**
 * The ledger ("chain"): a deterministic state machine ({@link org.deoss.core.ledger.LedgerState})
 * applied to hash-chained blocks of signed transactions ({@link
 * org.deoss.core.ledger.SignedTransaction}, one {@link org.deoss.core.ledger.Call} each). It keeps
 * balances, purchased space, authorizations, buckets and objects (with their manifests, POSIX
 * attributes and access), miners, audit challenges and repair orders.
 */
package org.deoss.core.ledger;
