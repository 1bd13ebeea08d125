/**
 * Accounts: Ed25519 key pairs, SS58 addresses with the CESS prefix 11330, signatures, encrypted
 * wallet files and the per-account X25519 key used to wrap data keys.
 */
package org.deoss.core.account;
