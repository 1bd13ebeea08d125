/**
 * Erasure coding: systematic Reed-Solomon over GF(2^8), bit-compatible with the coder CESS uses.
 *
 * <p>{@link org.deoss.core.codec.ReedSolomon} is the entry point; the arithmetic, matrices and the
 * two multiply kernels (Vector API and scalar) are package-private.
 */
package org.deoss.core.codec;
