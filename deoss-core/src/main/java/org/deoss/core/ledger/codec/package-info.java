/**
 * The ledger's canonical binary encoding: {@link org.deoss.core.ledger.codec.ByteWriter} and {@link
 * org.deoss.core.ledger.codec.ByteReader}. Transactions, blocks and state snapshots are encoded
 * with it; the same value always gives the same bytes, and the reader refuses anything else with a
 * {@link org.deoss.core.ledger.codec.CodecException} that names the field.
 */
package org.deoss.core.ledger.codec;
