/**
 * The ledger node: {@link org.deoss.transfer.node.LedgerNodeServer} serves a {@link
 * org.deoss.core.port.LedgerClient} over HTTP/JSON, {@link
 * org.deoss.transfer.node.RemoteLedgerClient} is the port's implementation that talks to it. The
 * API is described in {@code docs/LEDGER-API.md}.
 */
package org.deoss.transfer.node;
