/**
 * Who can read an object: its data key wrapped (HPKE) for the owner and each grantee, or given in
 * clear for a public object, as recorded in the ledger's {@link org.deoss.core.ledger.Access}.
 */
package org.deoss.core.access;
