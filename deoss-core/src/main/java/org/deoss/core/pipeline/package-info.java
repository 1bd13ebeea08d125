/**
 * The data pipeline shared by the mount, the command line and the gateway.
 *
 * <p>Write: {@link ObjectWriter} cuts a stream into segments (the last one not padded), and for
 * each segment {@link SegmentEncoder} encrypts (AES-256-GCM in chunks bound to object, segment and
 * chunk), splits the ciphertext into k data shards, computes m parity shards (systematic
 * Reed-Solomon) and names every fragment by its Merkle root; {@link FragmentUploader} places the
 * fragments on distinct miners and stores them in parallel, retrying failed ones elsewhere, and
 * succeeds once the success threshold is stored. Memory stays within a few segments whatever the
 * object size.
 *
 * <p>Read: {@link ObjectReader} fetches the k data fragments first (no decoding when they are
 * healthy), hedges to parity fragments when one fails, is corrupt, or is slow, verifies every
 * fragment against its id, decodes and decrypts.
 */
package org.deoss.core.pipeline;
