/**
 * Client-side encryption: the per-object data key ({@link org.deoss.core.crypto.DataKey}), chunked
 * AES-256-GCM of segments ({@link org.deoss.core.crypto.SegmentCipher}) and HPKE wrapping of data
 * keys for recipients' X25519 keys ({@link org.deoss.core.crypto.KeyWrap}). Every failure to
 * authenticate is a {@link org.deoss.core.crypto.TamperedDataException}.
 */
package org.deoss.core.crypto;
