/** SHA-256 digests, Merkle trees, the object fid and per-fragment audit roots. */
package org.deoss.core.hash;
