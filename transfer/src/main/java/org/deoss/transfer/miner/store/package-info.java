/**
 * A miner's fragment store on the local disk: {@link
 * org.deoss.transfer.miner.store.DiskFragmentStore} (the {@link org.deoss.core.port.FragmentStore}
 * port plus streamed puts, positional reads, audit proofs and garbage collection), its
 * configuration and its reports. The miner server calls it from its own executor; nothing here may
 * run on a Netty event loop.
 */
package org.deoss.transfer.miner.store;
