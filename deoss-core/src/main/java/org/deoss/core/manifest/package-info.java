/**
 * What an object is made of: its id, size, coding parameters, fid, and for every segment the hashes
 * of its encrypted bytes and of each fragment, with the miner that holds the fragment. The ledger
 * records a manifest with every object version; readers follow it to fetch and check fragments.
 */
package org.deoss.core.manifest;
