package org.deoss.core.ledger;

import org.deoss.core.account.AccountId;

/** A bucket: its owner, name, creation block time and how many objects it holds. */
public record BucketInfo(AccountId owner, String name, long createdMillis, long objectCount) {}
