/**
 * Everything on a wire: the miner fragment protocol (Netty TCP), the miner daemon and its disk
 * store, the client connection pool, the ledger node RPC and the HTTP gateway. Depends on {@code
 * deoss-core} and Netty only.
 */
package org.deoss.transfer;
