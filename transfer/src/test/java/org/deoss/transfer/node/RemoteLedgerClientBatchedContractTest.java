package org.deoss.transfer.node;

/**
 * The whole port contract through HTTP with batched posts on: a signer's transactions that queue
 * behind a post in flight go together in {@code POST /v1/transactions/batch}.
 */
class RemoteLedgerClientBatchedContractTest extends RemoteLedgerClientContractTest {
  @Override
  RemoteLedgerClient.Options options() {
    return RemoteLedgerClient.Options.defaults().withBatchedPosts(true);
  }
}
